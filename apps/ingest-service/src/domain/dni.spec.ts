import { leerDni } from './dni.js';

describe('leerDni', () => {
  it.each([
    ['45123456', '45123456'],
    ['45.123.456', '45123456'],
    [' 45123456 ', '45123456'],
    ['7.123.456', '7123456'],
    ['45 123 456', '45123456'],
    [45123456, '45123456'],
    ['1.000.000', '1000000'],
    ['11.111.111', '11111111'], // repeated digits: issued, not a fake
    ['94.123.456', '94123456'], // a foreign resident's
    ['07123456', '07123456'], // 7.123.456 padded to 8: kept as written, it is the registry's key
  ])('normalizes %p to digits only', (entrada, dni) => {
    expect(leerDni(entrada)).toEqual({ ok: true, dni });
  });

  it.each(['123456', '123.456', '451234567', '45-123-456', '45123456A', 'DNI 45123456'])(
    'refuses %p, saying it needs 7 or 8 digits',
    (entrada) => {
      const r = leerDni(entrada);
      expect(r).toMatchObject({ ok: false, tal: entrada });
      expect(r.ok === false && r.motivo).toContain('7 u 8 dígitos');
    },
  );

  it.each(['0000000', '00000000', '00.000.000'])('refuses %p, all zeros', (entrada) => {
    expect(leerDni(entrada)).toEqual({ ok: false, motivo: `DNI inválido "${entrada}": es todo ceros`, tal: entrada });
  });

  it.each([
    ['0123456', 6],
    ['00999999', 6],
    ['00000001', 1],
  ])('refuses %p, a number under a million once its leading zeros are gone', (entrada, digitos) => {
    expect(leerDni(entrada)).toEqual({
      ok: false,
      motivo: `DNI inválido "${entrada}": sin los ceros a la izquierda quedan ${digitos} dígitos; un DNI tiene 7 u 8`,
      tal: entrada,
    });
  });

  it.each([null, undefined, '', '   '])('reports a missing DNI for %p', (entrada) => {
    expect(leerDni(entrada)).toEqual({ ok: false, motivo: 'falta el DNI', tal: null });
  });
});
