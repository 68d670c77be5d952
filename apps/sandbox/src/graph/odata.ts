// The OData query options Graph accepts on /users, reduced to what directory objects support
// (learn.microsoft.com/graph/aad-advanced-queries): $select, $filter (eq, ne, in, startswith, and/or/not),
// $orderby, $top (1..999, learn.microsoft.com/graph/paging), $count (needs ConsistencyLevel: eventual),
// and opaque $skiptoken paging through @odata.nextLink.
import { GraphError, graphErrors } from './errors.js';
import { canonicalProperty } from './user-rules.js';

export function parseSelect(
  raw: string | null,
  canonical: (p: string) => string | undefined = canonicalProperty,
  type?: string,
): string[] | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  return raw.split(',').map((p) => {
    const name = canonical(p.trim());
    if (!name) throw graphErrors.badSelect(p.trim(), type);
    return name;
  });
}

// ---- $filter ---------------------------------------------------------------------------------------

type Value = string | number | boolean | null;
/**
 * A parsed $filter. `equals`, when set, names one property and the values any match must have in it (the
 * whole filter is `p eq v` or `p in (…)`, or such a comparison and-ed with more): what lets the store answer
 * from an index instead of testing every user.
 */
export type Predicate = ((props: Record<string, unknown>) => boolean) & {
  equals?: { property: string; values: Value[] };
};

/** Properties Entra lets you filter users on without advanced queries (user resource, "Properties" table). */
const FILTERABLE = new Set([
  'id',
  'userPrincipalName',
  'mail',
  'displayName',
  'givenName',
  'surname',
  'mailNickname',
  'accountEnabled',
  'employeeId',
  'usageLocation',
  'jobTitle',
  'department',
  'userType',
  'companyName',
  'city',
  'country',
  'state',
  'creationType',
]);
/** ne / not / endsWith are "advanced queries": they need ConsistencyLevel: eventual and $count=true. */
const ADVANCED = new Set(['ne', 'not', 'endswith']);

interface Token {
  t: 'id' | 'str' | 'num' | 'lp' | 'rp' | 'comma';
  v: string;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) i++;
    else if (c === '(') {
      out.push({ t: 'lp', v: c });
      i++;
    } else if (c === ')') {
      out.push({ t: 'rp', v: c });
      i++;
    } else if (c === ',') {
      out.push({ t: 'comma', v: c });
      i++;
    } else if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw graphErrors.badFilter(src);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
          } else break;
        } else s += src[i++];
      }
      i++;
      out.push({ t: 'str', v: s });
    } else {
      const m = /^[A-Za-z0-9_.@/:+-]+/.exec(src.slice(i));
      if (!m) throw graphErrors.badFilter(src);
      out.push({ t: /^-?\d+(\.\d+)?$/.test(m[0]) ? 'num' : 'id', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

export function parseFilter(raw: string, opts: { eventual: boolean }): Predicate {
  const toks = tokenize(raw);
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => toks[pos++] ?? fail();
  const fail = (): never => {
    throw graphErrors.badFilter(raw);
  };
  const expect = (t: Token['t']) => (peek()?.t === t ? next() : fail());
  const kw = (v: string) => peek()?.t === 'id' && peek().v.toLowerCase() === v;
  const advanced = (op: string) => {
    if (ADVANCED.has(op) && !opts.eventual)
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Operator '${op}' is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
      );
  };
  const property = (): string => {
    const tok = expect('id');
    const name = canonicalProperty(tok.v);
    if (!name || !FILTERABLE.has(name)) throw graphErrors.unsupportedFilter(tok.v);
    return name;
  };
  const literal = (): Value => {
    const tok = next();
    if (tok.t === 'str') return tok.v;
    if (tok.t === 'num') return Number(tok.v);
    if (tok.t === 'id' && ['true', 'false', 'null'].includes(tok.v.toLowerCase()))
      return tok.v.toLowerCase() === 'null' ? null : tok.v.toLowerCase() === 'true';
    return fail();
  };

  const or = (): Predicate => {
    let left = and();
    while (kw('or')) {
      next();
      const l = left,
        r = and();
      left = (p) => l(p) || r(p);
    }
    return left;
  };
  const and = (): Predicate => {
    let left = unary();
    while (kw('and')) {
      next();
      const l = left,
        r = unary();
      left = Object.assign((p: Record<string, unknown>) => l(p) && r(p), { equals: l.equals ?? r.equals });
    }
    return left;
  };
  const unary = (): Predicate => {
    if (kw('not')) {
      advanced('not');
      next();
      const inner = unary();
      return (p) => !inner(p);
    }
    if (peek()?.t === 'lp') {
      next();
      const e = or();
      expect('rp');
      return e;
    }
    if (kw('startswith') || kw('endswith')) {
      const fn = next().v.toLowerCase();
      advanced(fn);
      expect('lp');
      const prop = property();
      expect('comma');
      const lit = literal();
      expect('rp');
      if (typeof lit !== 'string') fail();
      const needle = (lit as string).toLowerCase();
      return (p) => {
        const v = p[prop];
        return (
          typeof v === 'string' &&
          (fn === 'startswith' ? v.toLowerCase().startsWith(needle) : v.toLowerCase().endsWith(needle))
        );
      };
    }
    const prop = property();
    const op = expect('id').v.toLowerCase();
    if (op === 'in') {
      expect('lp');
      const values: Value[] = [literal()];
      while (peek()?.t === 'comma') {
        next();
        values.push(literal());
      }
      expect('rp');
      return Object.assign((p: Record<string, unknown>) => values.some((v) => same(p[prop], v)), {
        equals: { property: prop, values },
      });
    }
    if (op !== 'eq' && op !== 'ne') throw graphErrors.unsupportedFilter(prop);
    advanced(op);
    const lit = literal();
    if (op === 'ne') return (p) => !same(p[prop], lit);
    return Object.assign((p: Record<string, unknown>) => same(p[prop], lit), {
      equals: { property: prop, values: [lit] },
    });
  };

  const pred = or();
  if (pos !== toks.length) fail();
  return pred;
}

/** Directory string comparisons are case-insensitive. */
function same(actual: unknown, expected: Value): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (typeof expected === 'string' && typeof actual === 'string')
    return actual.toLowerCase() === expected.toLowerCase();
  return actual === expected;
}

// ---- $orderby / $top / $skiptoken ------------------------------------------------------------------

export function parseOrderBy(
  raw: string | null,
): ((a: Record<string, unknown>, b: Record<string, unknown>) => number) | undefined {
  if (!raw) return undefined;
  const [rawProp, dir = 'asc'] = raw.trim().split(/\s+/);
  const prop = canonicalProperty(rawProp);
  if (
    !prop ||
    !['displayName', 'userPrincipalName', 'mail', 'givenName', 'surname', 'id'].includes(prop) ||
    !/^(asc|desc)$/i.test(dir)
  ) {
    throw new GraphError(400, 'Request_UnsupportedQuery', `Sorting not supported for '${rawProp}'.`);
  }
  const sign = dir.toLowerCase() === 'desc' ? -1 : 1;
  return (a, b) => sign * String(a[prop] ?? '').localeCompare(String(b[prop] ?? ''), 'en', { sensitivity: 'base' });
}

export function parseTop(raw: string | null, defaultSize: number, max: number): number {
  if (raw === null) return defaultSize;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw graphErrors.badPageSize(raw);
  return n;
}

export const encodeSkipToken = (offset: number) =>
  Buffer.from(JSON.stringify({ o: offset, r: Math.random().toString(36).slice(2, 8) })).toString('base64url');

export function decodeSkipToken(raw: string | null): number {
  if (raw === null) return 0;
  try {
    const o = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')).o;
    if (Number.isInteger(o) && o >= 0) return o;
  } catch {
    /* fall through */
  }
  throw graphErrors.badSkipToken();
}
