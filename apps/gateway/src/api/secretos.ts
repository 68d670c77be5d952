// Key names that say a value is a secret: such keys are never accepted in a request body.
const SECRETO = /secret|token|passw|contrase|clave|credencial|api.?key|private/i;

/** The paths of keys that name a secret, anywhere in a body. */
export function clavesSecretas(v: unknown, ruta = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => clavesSecretas(x, `${ruta}[${i}]`));
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const aqui = ruta ? `${ruta}.${k}` : k;
    return [...(SECRETO.test(k) ? [aqui] : []), ...clavesSecretas(x, aqui)];
  });
}
