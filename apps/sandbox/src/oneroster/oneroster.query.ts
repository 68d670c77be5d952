// The query parameters of a OneRoster 1.1 collection read (IMS OneRoster 1.1 Specification, REST
// binding, sections "Pagination", "Sorting", "Filtering" and "Field Selection"):
//   Pagination: `limit` (default 100) and `offset` (default 0); the total in `X-Total-Count`, and a
//     `Link` header (RFC 5988) with the first, prev, next and last pages.
//   Sorting: `sort=<field>` and `orderBy=asc|desc` (default asc).
//   Filtering: `filter=<field><predicate>'<value>'`, predicates = != > >= < <= ~ (contains), at most
//     one logical operator (AND / OR) joining two such expressions.
//   Field Selection: `fields=<field>,<field>`.
// A filter, sort or selection that names no field of the object, or a filter outside that grammar, is
// the request's fault: a 400 whose imsx_CodeMinor is invalid_filter_field / invalid_selection_field
// (the specification's code-minor vocabulary), never a silently ignored parameter. So is a filter on a
// dotted field (user.sourcedId) when the stand-in plays a server that filters on an object's own fields
// only (config nestedFilterFields: false): its "Filtering" examples name no nested field.
export type Item = Record<string, unknown>;

export class QueryError extends Error {
  constructor(
    readonly codeMinor: 'invalid_filter_field' | 'invalid_selection_field' | 'invalid_sort_field' | 'invaliddata',
    message: string,
  ) {
    super(message);
  }
}

type Predicate = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';
interface Clause {
  field: string;
  op: Predicate;
  value: string;
}
export interface Filter {
  clauses: Clause[];
  logical: 'AND' | 'OR';
}

// field, predicate (longest first), a single-quoted value ('' inside is not in the grammar: no quotes).
const CLAUSE = /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(!=|>=|<=|=|>|<|~)\s*'([^']*)'\s*$/;

/** Parses the Filtering grammar; `fieldsOf` says which fields exist (a dotted path into an object is allowed unless `nested` is false). */
export function parseFilter(raw: string, fieldsOf: ReadonlySet<string>, nested = true): Filter {
  const parts = raw.split(/\s+(AND|OR)\s+(?=(?:[^']*'[^']*')*[^']*$)/);
  if (parts.length > 3)
    throw new QueryError('invalid_filter_field', `filter: at most one logical operator (AND/OR) is allowed: ${raw}`);
  const clauses = [parts[0]!, parts[2]]
    .filter((p): p is string => p !== undefined)
    .map((p) => {
      const m = CLAUSE.exec(p);
      if (!m) throw new QueryError('invalid_filter_field', `filter: not <field><predicate>'<value>': ${p.trim()}`);
      const field = m[1]!;
      if (!fieldsOf.has(field.split('.')[0]!))
        throw new QueryError('invalid_filter_field', `filter: no field '${field}' in this collection`);
      if (!nested && field.includes('.'))
        throw new QueryError('invalid_filter_field', `filter: '${field}' is not a field this server filters on`);
      return { field, op: m[2] as Predicate, value: m[3]! };
    });
  return { clauses, logical: parts[1] === 'OR' ? 'OR' : 'AND' };
}

/** A dotted path's value; through a list (orgs, terms) it is the list of its elements' values. */
const step = (v: unknown, k: string): unknown => (v && typeof v === 'object' ? (v as Item)[k] : undefined);
const valueAt = (item: Item, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (Array.isArray(v) ? v.map((x) => step(x, k)) : step(v, k)), item);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Dates compare as instants, numbers as numbers, the rest as text (booleans as 'true'/'false'). */
function compare(actual: unknown, wanted: string): number | null {
  if (actual === undefined || actual === null) return null;
  const a = typeof actual === 'object' ? null : String(actual);
  if (a === null) return null;
  if (ISO_DATE.test(a) && ISO_DATE.test(wanted)) return Date.parse(a) - Date.parse(wanted);
  if (a !== '' && wanted !== '' && !Number.isNaN(Number(a)) && !Number.isNaN(Number(wanted)))
    return Number(a) - Number(wanted);
  return a < wanted ? -1 : a > wanted ? 1 : 0;
}

function holds(item: Item, c: Clause): boolean {
  const actual = valueAt(item, c.field);
  // A list (orgs, terms, userIds): the clause holds when it holds for one of its elements.
  if (Array.isArray(actual)) return actual.some((v) => holds({ v } as Item, { ...c, field: 'v' }));
  if (c.op === '~') return typeof actual === 'string' && actual.toLowerCase().includes(c.value.toLowerCase());
  const d = compare(actual, c.value);
  if (d === null) return c.op === '!=';
  return { '=': d === 0, '!=': d !== 0, '>': d > 0, '>=': d >= 0, '<': d < 0, '<=': d <= 0 }[c.op];
}

export function applyFilter<T extends Item>(items: T[], f: Filter): T[] {
  return items.filter((i) =>
    f.logical === 'AND' ? f.clauses.every((c) => holds(i, c)) : f.clauses.some((c) => holds(i, c)),
  );
}

export function applySort<T extends Item>(items: T[], field: string, order: 'asc' | 'desc'): T[] {
  const sign = order === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = valueAt(a, field);
    const y = valueAt(b, field);
    if (x === y) return 0;
    if (x === undefined || x === null) return 1;
    if (y === undefined || y === null) return -1;
    return sign * String(x).localeCompare(String(y), 'es');
  });
}

export function select(item: Item, fields: readonly string[]): Item {
  return Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]]));
}

export interface Query {
  limit: number;
  offset: number;
  filter?: Filter;
  sort?: { field: string; order: 'asc' | 'desc' };
  fields?: string[];
}

const nonNegative = (name: string, v: string | null, dflt: number, min: number): number => {
  if (v === null) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min)
    throw new QueryError('invaliddata', `${name}: expected an integer ≥ ${min}, got '${v}'`);
  return Number(v);
};

/** Reads the Pagination, Sorting, Filtering and Field Selection parameters; `fieldsOf` is the set of the collection's field names. */
export function parseQuery(
  params: URLSearchParams,
  fieldsOf: ReadonlySet<string>,
  maxLimit: number,
  nestedFilterFields = true,
): Query {
  const q: Query = {
    limit: Math.min(nonNegative('limit', params.get('limit'), 100, 1), maxLimit),
    offset: nonNegative('offset', params.get('offset'), 0, 0),
  };
  const filter = params.get('filter');
  if (filter !== null && filter.trim() !== '') q.filter = parseFilter(filter, fieldsOf, nestedFilterFields);
  const sort = params.get('sort');
  if (sort) {
    if (!fieldsOf.has(sort.split('.')[0]!)) throw new QueryError('invalid_sort_field', `sort: no field '${sort}'`);
    const orderBy = (params.get('orderBy') ?? 'asc').toLowerCase();
    if (orderBy !== 'asc' && orderBy !== 'desc')
      throw new QueryError('invaliddata', `orderBy: 'asc' or 'desc', got '${params.get('orderBy')}'`);
    q.sort = { field: sort, order: orderBy as 'asc' | 'desc' };
  }
  const fields = params.get('fields');
  if (fields) {
    const list = fields
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const unknown = list.filter((f) => !fieldsOf.has(f));
    if (unknown.length)
      throw new QueryError('invalid_selection_field', `fields: no field ${unknown.map((f) => `'${f}'`).join(', ')}`);
    q.fields = list;
  }
  return q;
}

/** Pagination's Link header: first, prev, next and last pages, each an absolute URL with the same query. */
export function linkHeader(url: URL, total: number, limit: number, offset: number): string {
  const at = (o: number) => {
    const u = new URL(url);
    u.searchParams.set('limit', String(limit));
    u.searchParams.set('offset', String(o));
    return u.toString();
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links: [string, number][] = [['first', 0]];
  if (offset > 0) links.push(['prev', Math.max(0, offset - limit)]);
  if (offset + limit < total) links.push(['next', offset + limit]);
  links.push(['last', last]);
  return links.map(([rel, o]) => `<${at(o)}>; rel="${rel}"`).join(', ');
}
