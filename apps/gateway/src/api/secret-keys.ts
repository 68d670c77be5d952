// Key names that say a value is a secret: such keys are never accepted in a request body.
const SECRET = /secret|token|passw|contrase|clave|credencial|api.?key|private/i;

/** The paths of keys that name a secret, anywhere in a body. */
export function secretKeyPaths(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => secretKeyPaths(x, `${path}[${i}]`));
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const here = path ? `${path}.${k}` : k;
    return [...(SECRET.test(k) ? [here] : []), ...secretKeyPaths(x, here)];
  });
}
