import { textProblem } from './invalid-input.js';
import { invalidTexts, jsonDepth, MAX_JSON_DEPTH } from './json-body.js';
import { urlProblems } from './url-guard.js';

describe('input guards', () => {
  it('measures JSON nesting on the raw bytes, skipping brackets inside strings and escaped quotes', () => {
    expect(jsonDepth(Buffer.from('{"a":[1,{"b":[]}]}'))).toBe(4);
    expect(jsonDepth(Buffer.from('{"a":"[[[[\\"[[[["}'))).toBe(1);
    expect(jsonDepth(Buffer.from('['.repeat(5000) + ']'.repeat(5000)))).toBe(MAX_JSON_DEPTH + 1);
    expect(jsonDepth(Buffer.from('42'))).toBe(0);
  });

  it('finds NUL and lone surrogates in any key or string value, with the field', () => {
    expect(invalidTexts({ a: ['ok', 'x\u0000'], b: { '\ud800': 1 }, c: 'emoji 😀', d: '\udc00' })).toEqual([
      { campo: 'a.1', mensaje: expect.stringContaining('NUL') },
      { campo: 'b', mensaje: expect.stringContaining('una clave') },
      { campo: 'd', mensaje: expect.stringContaining('sustituto') },
    ]);
    expect(textProblem('\udbff\ud800')).toContain('sustituto');
    expect(textProblem('ñandú 😀')).toBeUndefined();
  });

  it('refuses bad percent-encoding, bytes that are not UTF-8, raw bytes and control characters in the URL', () => {
    expect(urlProblems('/api/v1/alumnos?q=%C3%B1and%C3%BA&limit=5')).toEqual([]);
    expect(urlProblems('/api/v1/alumnos/%E0%A4%A')).toEqual([
      { campo: 'ruta', mensaje: expect.stringContaining('%XX') },
    ]);
    expect(urlProblems('/x?carrera=a%00b&q=%ED%A0%80&ok=1&%FF=1&r=\u00ff')).toEqual([
      { campo: 'consulta.carrera', mensaje: expect.stringContaining('control') },
      { campo: 'consulta.q', mensaje: expect.stringContaining('UTF-8') },
      { campo: 'consulta.%FF', mensaje: expect.stringContaining('UTF-8') },
      { campo: 'consulta.r', mensaje: expect.stringContaining('sin codificar') },
    ]);
  });
});
