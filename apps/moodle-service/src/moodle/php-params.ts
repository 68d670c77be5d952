// Moodle's REST server reads its parameters from $_POST, which PHP builds from a form body: nested
// arrays are written in PHP's bracket syntax (`users[0][username]=x`, `field=email&values[0]=a`),
// as http_build_query() would. Lists always carry explicit indices: Moodle ignores the keys of a
// list but PHP needs them to keep two rows' fields apart.

export type PhpParam = string | number | boolean | null | undefined | PhpParam[] | { [key: string]: PhpParam };

/**
 * Encodes params as an application/x-www-form-urlencoded body. Booleans become 1/0 (PARAM_BOOL and
 * PARAM_INT accept them); null and undefined are left out, so an optional parameter is absent rather
 * than an empty string Moodle would validate. An empty list sends nothing: Moodle then reports the
 * parameter as missing, so callers must not call with one.
 */
export function encodePhpParams(params: Record<string, PhpParam>): string {
  const out: string[] = [];
  const walk = (name: string, value: PhpParam): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) value.forEach((v, i) => walk(`${name}[${i}]`, v));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(`${name}[${k}]`, v);
    else
      out.push(
        `${encodeURIComponent(name)}=${encodeURIComponent(typeof value === 'boolean' ? (value ? '1' : '0') : String(value))}`,
      );
  };
  for (const [k, v] of Object.entries(params)) walk(k, v);
  return out.join('&');
}
