import { leerDni } from './dni.js';

describe('leerDni', () => {
  it.each([
    ['45123456', '45123456'],
    ['45.123.456', '45123456'],
    [' 45123456 ', '45123456'],
    ['7.123.456', '7123456'],
    ['45 123 456', '45123456'],
    [45123456, '45123456'],
  ])('normalizes %p to digits only', (entrada, dni) => {
    expect(leerDni(entrada)).toEqual({ ok: true, dni });
  });

  it.each(['123456', '123.456', '451234567', '45-123-456', '45123456A', 'DNI 45123456'])('refuses %p, saying it needs 7 or 8 digits', (entrada) => {
    const r = leerDni(entrada);
    expect(r).toMatchObject({ ok: false, tal: entrada });
    expect(r.ok === false && r.motivo).toContain('7 u 8 dígitos');
  });

  it.each([null, undefined, '', '   '])('reports a missing DNI for %p', (entrada) => {
    expect(leerDni(entrada)).toEqual({ ok: false, motivo: 'falta el DNI', tal: null });
  });
});
