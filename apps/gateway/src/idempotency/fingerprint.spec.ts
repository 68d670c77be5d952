import { canonicalJson, fingerprint } from './fingerprint.js';

const base = { method: 'POST', path: '/api/v1/acciones', body: { accion: 'activar', alumnoIds: ['a', 'b'] } };
const file = (content: string, over: Partial<{ fieldname: string; originalname: string; mimetype: string }> = {}) => ({
  fieldname: 'archivo',
  originalname: 'alumnos.csv',
  mimetype: 'text/csv',
  buffer: Buffer.from(content),
  ...over,
});

describe('fingerprint', () => {
  it("ignores the order of an object's keys, at any depth", () => {
    expect(fingerprint(base)).toBe(fingerprint({ ...base, body: { alumnoIds: ['a', 'b'], accion: 'activar' } }));
    expect(canonicalJson({ b: { d: 1, c: [{ z: 1, y: 2 }] }, a: null })).toBe(
      '{"a":null,"b":{"c":[{"y":2,"z":1}],"d":1}}',
    );
  });

  it('tells apart another body, another order in an array, another path or query, another method', () => {
    const fp = fingerprint(base);
    expect(fingerprint({ ...base, body: { accion: 'activar', alumnoIds: ['a'] } })).not.toBe(fp);
    expect(fingerprint({ ...base, body: { accion: 'activar', alumnoIds: ['b', 'a'] } })).not.toBe(fp);
    expect(fingerprint({ ...base, path: '/api/v1/sync/sial' })).not.toBe(fp);
    expect(fingerprint({ ...base, path: '/api/v1/acciones?x=1' })).not.toBe(fp);
    expect(fingerprint({ ...base, method: 'PUT' })).not.toBe(fp);
  });

  it('treats no body as null, and not as an empty object', () => {
    expect(fingerprint({ ...base, body: undefined })).toBe(fingerprint({ ...base, body: null }));
    expect(fingerprint({ ...base, body: undefined })).not.toBe(fingerprint({ ...base, body: {} }));
  });

  it("covers an upload's file content, name, type and field, and its text fields", () => {
    const up = {
      method: 'POST',
      path: '/api/v1/lotes',
      body: { mapeo: '{"dni":"Documento"}' },
      files: [file('dni\n1\n')],
    };
    const fp = fingerprint(up);
    expect(fingerprint({ ...up, files: [file('dni\n1\n')] })).toBe(fp);
    expect(fingerprint({ ...up, files: [file('dni\n2\n')] })).not.toBe(fp);
    expect(fingerprint({ ...up, files: [file('dni\n1\n', { originalname: 'otro.csv' })] })).not.toBe(fp);
    expect(fingerprint({ ...up, files: [file('dni\n1\n', { mimetype: 'application/json' })] })).not.toBe(fp);
    expect(fingerprint({ ...up, files: [file('dni\n1\n', { fieldname: 'otro' })] })).not.toBe(fp);
    expect(fingerprint({ ...up, body: { mapeo: '{"dni":"DNI"}' } })).not.toBe(fp);
    expect(fingerprint({ ...up, files: [] })).not.toBe(fp);
  });

  it('writes the JSON a body came as (but canonical), and reads a body nested deeper than JSON.stringify can write', () => {
    const body = { texto: 'a "b" \\ ñ \ud83d\ude00', n: [1.5, -0.25, 1e21, true, false, null], vacio: {}, lista: [] };
    expect(JSON.parse(canonicalJson(body))).toEqual(body);
    expect(canonicalJson(body)).toBe(JSON.stringify({ lista: [], n: body.n, texto: body.texto, vacio: {} }));
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(fingerprint({ ...base, body: deep })).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint({ ...base, body: deep })).not.toBe(fingerprint({ ...base, body: [deep] }));
  });
});
