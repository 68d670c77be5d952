import { encodePhpQuery, parsePhpQuery, phpMerge, phpToJs } from './php-query.js';

const js = (q: string) => phpToJs(parsePhpQuery(q));

describe('parsePhpQuery (PHP request-variable parsing)', () => {
  it('builds nested arrays from users[0][username]=… syntax', () => {
    expect(js('users%5B0%5D%5Busername%5D=juan&users[0][email]=j%40x.com&users[1][username]=ana')).toEqual({
      users: [{ username: 'juan', email: 'j@x.com' }, { username: 'ana' }],
    });
  });

  it('appends with [] after the largest integer key', () => {
    expect(js('values[]=a&values[5]=b&values[]=c')).toEqual({ values: { 0: 'a', 5: 'b', 6: 'c' } });
    expect(js('values[]=a&values[]=b')).toEqual({ values: ['a', 'b'] });
  });

  it("turns ' ' and '.' in the base name into '_', and decodes + as space", () => {
    expect(js('a.b=1&c d=2&e=x+y')).toEqual({ a_b: '1', c_d: '2', e: 'x y' });
  });

  it('lets the last value win and replaces a scalar by an array', () => {
    expect(js('a=1&a=2')).toEqual({ a: '2' });
    expect(js('a=1&a[x]=2')).toEqual({ a: { x: '2' } });
  });

  it('ignores what follows a closing bracket and keeps an unmatched [ as _', () => {
    expect(js('a[b]c=1')).toEqual({ a: { b: '1' } });
    expect(js('a[b=1')).toEqual({ a_b: '1' });
  });

  it('keeps insertion order of non-sequential keys, as PHP arrays do', () => {
    const parsed = parsePhpQuery('v[10]=a&v[2]=b');
    expect([...(parsed.get('v') as Map<string, string>).keys()]).toEqual(['10', '2']);
  });

  it('skips empty names, keeps valueless variables as empty strings and stops at max_input_vars', () => {
    expect(js('=1&flag&x=')).toEqual({ flag: '', x: '' });
    expect(js('a=1&b=2&c=3')).toEqual({ a: '1', b: '2', c: '3' });
    expect(phpToJs(parsePhpQuery('a=1&b=2&c=3', new Map(), { maxInputVars: 2 }))).toEqual({ a: '1', b: '2' });
  });

  it('keeps malformed percent-escapes instead of failing', () => {
    expect(js('a=100%&b=%zz')).toEqual({ a: '100%', b: '%zz' });
  });

  it('merges GET and POST with POST winning, like array_merge($_GET, $_POST)', () => {
    expect(phpToJs(phpMerge(parsePhpQuery('a=1&b=1'), parsePhpQuery('b=2')))).toEqual({ a: '1', b: '2' });
  });

  it('round-trips what encodePhpQuery builds', () => {
    const params = { wsfunction: 'f', users: [{ username: 'núñez', customfields: [{ type: 'dni', value: '1' }] }] };
    expect(js(encodePhpQuery(params))).toEqual(params);
  });
});
