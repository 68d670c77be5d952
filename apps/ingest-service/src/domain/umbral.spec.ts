import { retener } from './umbral.js';

const umbral = { porcentaje: 5, cantidad: 100 };

describe('retener', () => {
  it('lets a lote act when it suspends nobody, or at most the share and the count allowed', () => {
    expect(retener(0, 0, umbral)).toBeNull();
    expect(retener(0, 10, { porcentaje: 0, cantidad: 0 })).toBeNull();
    expect(retener(5, 100, umbral)).toBeNull(); // exactly 5 %: not more
    expect(retener(100, 3000, umbral)).toBeNull(); // 3.3 %, exactly 100
  });

  it('holds a lote that suspends more than the share of the active students, saying so', () => {
    expect(retener(6, 100, umbral)).toEqual({
      motivo:
        'suspendería 6 de 100 alumnos activos (6 %): más del 5 % de los activos; espera la aprobación de un operador',
      bajas: 6,
      activos: 100,
      umbral,
    });
  });

  it('holds a lote that suspends more than the count, whatever the share, and names both when both are passed', () => {
    expect(retener(101, 10_000, umbral)?.motivo).toBe(
      'suspendería 101 de 10000 alumnos activos (1 %): más de 100; espera la aprobación de un operador',
    );
    expect(retener(150, 1000, { porcentaje: 2.5, cantidad: 100 })?.motivo).toContain(
      '(15 %): más del 2,5 % de los activos y más de 100',
    );
    // 0: every leave waits.
    expect(retener(1, 10_000, { porcentaje: 100, cantidad: 0 })).not.toBeNull();
  });
});
