// The classes of bad input the API's fuzz test sends (api-bad-input.int.spec.ts): each class names a
// kind of mistake or attack, with the values that stand for it. Values for a URL are already
// percent-encoded as they go on the wire; values for a JSON body are JS values or raw JSON text.

/** Values for a path or query parameter. */
export const EN_URL: Record<string, string[]> = {
  NUL: ['%00', 'a%00b'],
  'control characters': ['%01', '%1B%5B31m', '%7F', 'a%0D%0AX-Inyectada:%201'],
  'lone UTF-16 surrogates (as their CESU-8 bytes)': ['%ED%A0%80', 'a%ED%B0%80b'],
  'invalid UTF-8 bytes': ['%FF', '%C3%28', '%C0%AF', '%F8%88%80%80%80'],
  'bad percent-encoding': ['%E0%A4%A', '%', '%ZZ', '%%41', '%u0041'],
  'overlong strings': ['x'.repeat(5000)],
  'huge numbers': ['1e400', '9'.repeat(40), '-9007199254740993'],
  'negative, NaN, Infinity, fractions': ['-1', 'NaN', 'Infinity', '-Infinity', '1.5', '0x10', '%201'],
  'impossible dates': [
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '2026-02-29',
    '2026-04-31T10:00:00Z',
    '2026-02-28T25:00:00Z',
    '2026-02-28T23:60:00Z',
    '0000-01-01',
    '2026-02-28T10:00:00%2B99:00',
    '99999-01-01',
    '%2B275760-09-13',
  ],
  'unknown enum values': ['zzz', 'ACTIVO', 'true%20'],
  'prototype keys': ['__proto__', 'constructor', 'prototype', 'hasOwnProperty'],
  'injection and traversal': ["'%20OR%201=1--", '..%2F..%2Fetc%2Fpasswd', '%3Cscript%3E', '$%7B7*7%7D'],
  'empty and blank': ['', '%20', '%09'],
  'non-ASCII text (valid)': ['%C3%B1and%C3%BA', '%F0%9F%98%80', '%EF%BB%BF'],
};

/** Values for a header the document declares (Idempotency-Key): what fetch can send; raw bytes go by socket. */
export const EN_CABECERA: Record<string, string[]> = {
  'bad header values': ['', ' ', 'x'.repeat(5000), '"a"', 'a, b', '\u00ff\u00fe', '%00', '__proto__', ':;=,'],
};

/** Query strings built around a parameter `p` (duplicates, brackets) and ones any route may meet. */
export const CONSULTAS = {
  'duplicated query params': (p: string) => [`${p}=1&${p}=2`, `${p}=&${p}=`],
  'arrays and objects where scalars go': (p: string) => [`${p}[]=x`, `${p}[a]=b`, `${p}[0]=1&${p}[1]=2`],
  'unknown query params': () => ['zzz=1', 'limit=1&zzz'],
  'prototype-pollution keys': () => [
    '__proto__=x',
    '__proto__[admin]=1',
    'constructor[prototype][admin]=1',
    'hasOwnProperty=1',
  ],
  'bad bytes in a query key': () => ['%00=1', '%E0%A4%A=1', '%ED%A0%80=1', '%FF=1'],
  'empty query keys': () => ['=1', '&&&', '&=&'],
};

const profundo = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** JSON values for one property of a body, by what they stand for; `aplica` says to which properties. */
export const EN_JSON: { clase: string; valores: unknown[]; aplica?: (s: Schema) => boolean }[] = [
  { clase: 'wrong types', valores: [true, {}, [], 0] },
  { clase: 'null', valores: [null] },
  { clase: 'huge numbers', valores: [1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2] },
  { clase: 'negative numbers and fractions', valores: [-1, -0.5, 0.1] },
  { clase: 'arrays where scalars go', valores: [['a', 'b'], [[]]] },
  { clase: 'NUL in text', valores: ['a\u0000b', '\u0000'] },
  { clase: 'lone UTF-16 surrogates', valores: ['\ud800', 'a\udc00b', '\udbff\ud800'] },
  { clase: 'overlong strings', valores: ['x'.repeat(100_000)] },
  { clase: 'deep nesting', valores: [JSON.parse(profundo(500))] },
  {
    clase: 'impossible dates',
    valores: ['2026-02-30', '2026-02-28T25:00:00Z'],
    aplica: (s) => /fecha|date/i.test(`${s.format ?? ''} ${s.description ?? ''}`),
  },
  { clase: 'unknown enum values', valores: ['zzz'], aplica: (s) => Array.isArray(s.enum) },
];

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  description?: string;
  minimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
}

/** Whole bodies as raw bytes: [content-type, body]. Every one must be refused before a handler runs. */
export const CUERPOS_CRUDOS: Record<string, [string, string | Buffer][]> = {
  'malformed JSON': [
    ['application/json', '{"a":'],
    ['application/json', '{a:1}'],
    ['application/json', "{'a':1}"],
    ['application/json', '{"a":1,}'],
    ['application/json', 'NaN'],
    ['application/json', '{"a":1}{"b":2}'],
    ['application/json', '\u0000'],
  ],
  'deep nesting': [
    ['application/json', profundo(5000)],
    ['application/json', '{"a":'.repeat(3000) + '1' + '}'.repeat(3000)],
    ['application/json', '['.repeat(200_000)],
    ['application/json', `{"x":${profundo(100_000)}}`],
  ],
  'NUL in text': [
    ['application/json', '{"x":"a\\u0000b"}'],
    ['application/json', '{"\\u0000":1}'],
  ],
  'lone UTF-16 surrogates': [
    ['application/json', '{"x":"\\ud800"}'],
    ['application/json', '{"\\udc00":1}'],
    ['application/json', '["\\udbff\\ud800"]'],
  ],
  'invalid UTF-8 bytes': [
    ['application/json', Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['application/json', Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])],
    ['application/json', Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d])],
  ],
  'huge bodies': [
    ['application/json', `{"x":"${'a'.repeat(1_100_000)}"}`],
    ['application/json', `[${'1,'.repeat(550_000)}1]`],
  ],
  'wrong content types': [
    ['text/plain', '{"a":1}'],
    ['application/xml', '<a/>'],
    ['application/x-www-form-urlencoded', 'a=1&__proto__[x]=1'],
    ['multipart/form-data', '--x\r\n'],
    ['application/octet-stream', Buffer.from([0, 1, 2, 255])],
    ['application/json; charset=utf-16', '{"a":1}'],
    ['application/json; charset=latin-9', '{"a":1}'],
    ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
  ],
};

/** Whole bodies that parse: they reach the route's validation. */
export const CUERPOS_JSON: Record<string, string[]> = {
  'not an object': ['null', '42', '"texto"', '[]', '[1,2]', 'true'],
  'empty bodies': ['', '{}', '   '],
  'prototype-pollution keys': [
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}',
    '{"__proto__":[]}',
    '{"prototype":1}',
  ],
  'duplicated keys': ['{"a":1,"a":2}'],
};

/** A multipart/form-data body, built by hand so its bytes can be anything. */
export function multipart(
  partes: { nombre: string; archivo?: string | Buffer; tipo?: string; valor: string | Buffer }[],
  boundary = 'lucyfuzz',
): [string, Buffer] {
  const trozos: Buffer[] = [];
  for (const p of partes) {
    const archivo =
      p.archivo === undefined
        ? ''
        : `; filename="${Buffer.isBuffer(p.archivo) ? p.archivo.toString('latin1') : p.archivo}"`;
    trozos.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.nombre}"${archivo}\r\n${p.tipo ? `Content-Type: ${p.tipo}\r\n` : ''}\r\n`,
        'latin1',
      ),
    );
    trozos.push(Buffer.isBuffer(p.valor) ? p.valor : Buffer.from(p.valor));
    trozos.push(Buffer.from('\r\n'));
  }
  trozos.push(Buffer.from(`--${boundary}--\r\n`));
  return [`multipart/form-data; boundary=${boundary}`, Buffer.concat(trozos)];
}

const csv = (s: string) => Buffer.from(s);
const BYTES_MALOS = Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80, 0xc0, 0xaf]);

/** Uploads (multipart bodies) for routes that take a file. */
export const SUBIDAS: Record<string, [string, Buffer][]> = {
  'NUL in text': [
    multipart([{ nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1\u0000,a\n') }]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') },
      { nombre: 'nombreArchivo', valor: 'a\u0000b' },
    ]),
    multipart([{ nombre: 'archivo', archivo: 'a.json', tipo: 'application/json', valor: csv('[{"dni":"1\\u0000"}]') }]),
    multipart([{ nombre: 'archivo', archivo: 'a\u0000.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') }]),
  ],
  'lone UTF-16 surrogates': [
    multipart([{ nombre: 'archivo', archivo: 'a.json', tipo: 'application/json', valor: csv('[{"dni":"\\ud800"}]') }]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') },
      { nombre: 'mapeo', valor: '{"dni":"\\udc00"}' },
    ]),
  ],
  'invalid UTF-8 bytes': [
    multipart([
      {
        nombre: 'archivo',
        archivo: 'a.csv',
        tipo: 'text/csv',
        valor: Buffer.concat([csv('dni,nombre\n1,'), BYTES_MALOS, csv('\n')]),
      },
    ]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') },
      { nombre: 'nombreArchivo', valor: BYTES_MALOS },
    ]),
    multipart([
      {
        nombre: 'archivo',
        archivo: Buffer.concat([BYTES_MALOS, csv('.csv')]),
        tipo: 'text/csv',
        valor: csv('dni,nombre\n1,a\n'),
      },
    ]),
  ],
  'deep nesting': [
    multipart([{ nombre: 'archivo', archivo: 'a.json', tipo: 'application/json', valor: csv(profundo(5000)) }]),
    multipart([
      { nombre: 'archivo', archivo: 'a.json', tipo: 'application/json', valor: csv(`[{"dni":${profundo(5000)}}]`) },
    ]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') },
      { nombre: 'mapeo', valor: profundo(4000) },
    ]),
  ],
  'prototype-pollution keys': [
    multipart([
      {
        nombre: 'archivo',
        archivo: 'a.json',
        tipo: 'application/json',
        valor: csv('[{"__proto__":{"admin":true},"dni":"1"}]'),
      },
    ]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') },
      { nombre: 'mapeo', valor: '{"__proto__":"dni","constructor":"nombre"}' },
    ]),
    multipart([{ nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('__proto__,constructor\n1,a\n') }]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') },
      { nombre: '__proto__', valor: 'x' },
    ]),
  ],
  'malformed uploads': [
    multipart([{ nombre: 'otro', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni\n1\n') }]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni\n1\n') },
      { nombre: 'archivo', archivo: 'b.csv', tipo: 'text/csv', valor: csv('dni\n1\n') },
    ]),
    multipart([{ nombre: 'nombreArchivo', valor: 'sin archivo' }]),
    multipart([{ nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('') }]),
    multipart([{ nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('"dni\n1\n') }]),
    multipart([{ nombre: 'archivo', archivo: 'a.json', tipo: 'application/json', valor: csv('{"a":') }]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') },
      { nombre: 'mapeo', valor: '{"dni":' },
    ]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') },
      { nombre: 'mapeo', valor: '{"inventado":"dni"}' },
    ]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') },
      { nombre: 'extra', valor: '1' },
    ]),
    [
      'multipart/form-data; boundary=lucyfuzz',
      Buffer.from('--lucyfuzz\r\nContent-Disposition: form-data; name="archivo"; filename="a.csv"\r\n\r\ndni\n1'),
    ],
    ['multipart/form-data', Buffer.from('hola')],
  ],
  'overlong strings': [
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv(`dni,nombre\n1,${'x'.repeat(5000)}\n`) },
    ]),
    multipart([
      { nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: csv('dni,nombre\n1,a\n') },
      { nombre: 'mapeo', valor: `{"dni":"${'x'.repeat(70_000)}"}` },
    ]),
  ],
  'huge bodies': [
    multipart([{ nombre: 'archivo', archivo: 'a.csv', tipo: 'text/csv', valor: Buffer.alloc(6 * 1024 * 1024, 'a') }]),
  ],
};
