import { QueryError, applyFilter, applySort, linkHeader, parseFilter, parseQuery } from './oneroster.query.js';

const FIELDS = new Set(['sourcedId', 'status', 'dateLastModified', 'role', 'familyName', 'orgs', 'enabledUser']);
const items = [
  {
    sourcedId: 'a',
    status: 'active',
    dateLastModified: '2026-12-15T10:00:00.000Z',
    role: 'student',
    familyName: 'Núñez',
    orgs: [{ sourcedId: 'org-cp' }],
    enabledUser: true,
  },
  {
    sourcedId: 'b',
    status: 'tobedeleted',
    dateLastModified: '2027-03-01T12:00:00.000Z',
    role: 'student',
    familyName: "D'Angelo",
    orgs: [{ sourcedId: 'org-le' }],
    enabledUser: false,
  },
  {
    sourcedId: 'c',
    status: 'active',
    dateLastModified: '2027-03-02T08:30:00.000Z',
    role: 'teacher',
    familyName: 'Álvarez',
    orgs: [],
    enabledUser: true,
  },
];
const ids = (xs: { sourcedId: string }[]) => xs.map((x) => x.sourcedId);
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as QueryError).codeMinor;
  }
  return 'no error';
};

describe('OneRoster query parameters', () => {
  it('filters by dateLastModified as instants, whatever the precision written', () => {
    expect(ids(applyFilter(items, parseFilter("dateLastModified>'2027-01-01T00:00:00Z'", FIELDS)))).toEqual(['b', 'c']);
    expect(ids(applyFilter(items, parseFilter("dateLastModified>'2027-03-01'", FIELDS)))).toEqual(['b', 'c']);
    expect(ids(applyFilter(items, parseFilter("dateLastModified<='2027-03-01T12:00:00.000Z'", FIELDS)))).toEqual([
      'a',
      'b',
    ]);
  });

  it('joins two clauses with AND or OR, and compares =, !=, ~ and booleans', () => {
    expect(ids(applyFilter(items, parseFilter("role='student' AND status='active'", FIELDS)))).toEqual(['a']);
    expect(ids(applyFilter(items, parseFilter("role='teacher' OR status='tobedeleted'", FIELDS)))).toEqual(['b', 'c']);
    expect(ids(applyFilter(items, parseFilter("familyName~'ANGEL'", FIELDS)))).toEqual(['b']);
    expect(ids(applyFilter(items, parseFilter("familyName~'ñez'", FIELDS)))).toEqual(['a']);
    expect(ids(applyFilter(items, parseFilter("status!='active'", FIELDS)))).toEqual(['b']);
    expect(ids(applyFilter(items, parseFilter("enabledUser='false'", FIELDS)))).toEqual(['b']);
    expect(ids(applyFilter(items, parseFilter("orgs.sourcedId='org-le'", FIELDS)))).toEqual(['b']);
  });

  it('refuses what is outside the grammar, or names no field, with the matching code minor', () => {
    expect(codeOf(() => parseFilter("nombre='x'", FIELDS))).toBe('invalid_filter_field');
    expect(codeOf(() => parseFilter('role=student', FIELDS))).toBe('invalid_filter_field');
    expect(codeOf(() => parseFilter("role='a' AND role='b' OR role='c'", FIELDS))).toBe('invalid_filter_field');
    expect(codeOf(() => parseQuery(new URLSearchParams('fields=sourcedId,nope'), FIELDS, 1000))).toBe(
      'invalid_selection_field',
    );
    expect(codeOf(() => parseQuery(new URLSearchParams('limit=-1'), FIELDS, 1000))).toBe('invaliddata');
  });

  it('refuses a filter on a dotted field when nested fields are off, and only that', () => {
    expect(codeOf(() => parseFilter("orgs.sourcedId='org-le'", FIELDS, false))).toBe('invalid_filter_field');
    expect(
      codeOf(() =>
        parseQuery(new URLSearchParams(`filter=${encodeURIComponent("orgs.sourcedId='x'")}`), FIELDS, 1000, false),
      ),
    ).toBe('invalid_filter_field');
    expect(ids(applyFilter(items, parseFilter("role='teacher'", FIELDS, false)))).toEqual(['c']);
    expect(codeOf(() => parseQuery(new URLSearchParams('sort=familyName&orderBy=up'), FIELDS, 1000))).toBe(
      'invaliddata',
    );
  });

  it('keeps AND inside a quoted value as text', () => {
    expect(parseFilter("familyName='Smith AND Jones'", FIELDS).clauses).toEqual([
      { field: 'familyName', op: '=', value: 'Smith AND Jones' },
    ]);
  });

  it('defaults limit to 100 and caps it at the server maximum', () => {
    expect(parseQuery(new URLSearchParams(''), FIELDS, 1000)).toMatchObject({ limit: 100, offset: 0 });
    expect(parseQuery(new URLSearchParams('limit=5000&offset=7'), FIELDS, 1000)).toMatchObject({
      limit: 1000,
      offset: 7,
    });
  });

  it('sorts with Spanish collation, either way', () => {
    expect(ids(applySort(items, 'familyName', 'asc'))).toEqual(['c', 'b', 'a']);
    expect(ids(applySort(items, 'familyName', 'desc'))).toEqual(['a', 'b', 'c']);
  });

  it('links first, prev, next and last pages keeping the query', () => {
    const url = new URL("http://h/ims/oneroster/v1p1/users?filter=role%3D'student'&limit=10&offset=10");
    const link = linkHeader(url, 25, 10, 10);
    const rels = Object.fromEntries(
      link.split(', ').map((l) => {
        const [, u, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(l)!;
        return [rel, new URL(u!).searchParams.get('offset')];
      }),
    );
    expect(rels).toEqual({ first: '0', prev: '0', next: '20', last: '20' });
    expect(link).toContain('filter=role%3D%27student%27');
    expect(linkHeader(url, 25, 10, 20)).not.toContain('rel="next"');
  });
});
