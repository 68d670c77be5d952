// PHP's request-variable parsing (main/php_variables.c, php_register_variable_ex), which is what
// Moodle sees in $_GET/$_POST: `users[0][username]=x` builds nested arrays, `values[]=a` appends,
// the base name has ' ' and '.' turned into '_', text after a closing ']' that does not open a new
// '[' is ignored, and variables past max_input_vars are dropped. Arrays are ordered maps, as in PHP:
// Moodle iterates them in insertion order and ignores the keys of a list.
export type PhpValue = string | PhpArray;
export type PhpArray = Map<string, PhpValue>;

export const isPhpArray = (v: unknown): v is PhpArray => v instanceof Map;

function decode(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    // PHP's urldecode keeps malformed %-sequences as they are.
    return plus.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** The next append index: one past the largest integer key, as PHP's nNextFreeElement. */
function nextIndex(arr: PhpArray): string {
  let max = -1;
  for (const k of arr.keys()) if (/^(0|-?[1-9][0-9]*)$/.test(k)) max = Math.max(max, Number(k));
  return String(max + 1);
}

/** Splits `users[0][username]` into ['users', '0', 'username']; null means "skip this variable". */
export function splitPhpName(rawName: string): (string | null)[] | null {
  const name = rawName.replace(/^ +/, '');
  const open = name.indexOf('[');
  let base = open === -1 ? name : name.slice(0, open);
  const indices: (string | null)[] = [];
  if (open !== -1) {
    let rest = name.slice(open);
    while (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      if (close === -1) {
        // An unmatched '[' in the first position is turned into '_' and kept in the base name.
        if (indices.length === 0) base = base + '_' + rest.slice(1);
        break;
      }
      const idx = rest.slice(1, close);
      indices.push(idx === '' ? null : idx);
      rest = rest.slice(close + 1);
    }
  }
  base = base.replace(/[ .]/g, '_');
  if (base === '') return null;
  return [base, ...indices];
}

export interface ParseOptions {
  /** PHP's max_input_vars; Moodle's environment check asks for at least 5000. */
  maxInputVars?: number;
}

/** Parses a query string or an x-www-form-urlencoded body into PHP's $_GET/$_POST shape. */
export function parsePhpQuery(input: string, into: PhpArray = new Map(), opts: ParseOptions = {}): PhpArray {
  const max = opts.maxInputVars ?? 5000;
  let count = 0;
  for (const pair of input.split('&')) {
    if (pair === '') continue;
    if (++count > max) break;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const path = splitPhpName(name);
    if (!path) continue;
    assign(into, path, value);
  }
  return into;
}

function assign(root: PhpArray, path: (string | null)[], value: string): void {
  let cur = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] ?? nextIndex(cur);
    if (i === path.length - 1) {
      cur.set(key, value);
      return;
    }
    const existing = cur.get(key);
    if (isPhpArray(existing)) {
      cur = existing;
    } else {
      // A scalar in the way is replaced by an array, as PHP does.
      const next: PhpArray = new Map();
      cur.set(key, next);
      cur = next;
    }
  }
}

/** PHP's array_merge for string-keyed request arrays: later keys win, order of first appearance kept. */
export function phpMerge(a: PhpArray, b: PhpArray): PhpArray {
  const out: PhpArray = new Map(a);
  for (const [k, v] of b) out.set(k, v);
  return out;
}

/** Converts to plain JS for logs and the admin API (arrays with keys 0..n-1 become JS arrays). */
export function phpToJs(v: PhpValue): unknown {
  if (!isPhpArray(v)) return v;
  const keys = [...v.keys()];
  if (keys.every((k, i) => k === String(i))) return [...v.values()].map(phpToJs);
  return Object.fromEntries([...v.entries()].map(([k, x]) => [k, phpToJs(x)]));
}

/** Builds a PHP array from plain JS (for fixtures and tests): arrays get keys 0..n-1. */
export function jsToPhp(v: unknown): PhpValue {
  if (Array.isArray(v)) return new Map(v.map((x, i) => [String(i), jsToPhp(x)]));
  if (v !== null && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, jsToPhp(x)]));
  if (typeof v === 'boolean') return v ? '1' : '0';
  return v === null || v === undefined ? '' : String(v);
}

/** Encodes plain JS into PHP array syntax, the way Moodle clients (and http_build_query) send it. */
export function encodePhpQuery(params: Record<string, unknown>): string {
  const out: string[] = [];
  const walk = (prefix: string, v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(`${prefix}[${i}]`, x));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(`${prefix}[${k}]`, x);
    else
      out.push(
        `${encodeURIComponent(prefix)}=${encodeURIComponent(typeof v === 'boolean' ? (v ? '1' : '0') : String(v ?? ''))}`,
      );
  };
  for (const [k, v] of Object.entries(params)) walk(k, v);
  return out.join('&');
}
