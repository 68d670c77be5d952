import { DIFERENCIAS_POR_PARTE, DiferenciasEncontradas, enPartes, ReconciliarCuentas } from './index.js';

describe('reconciliation messages', () => {
  it('splits differences into parts of at most DIFERENCIAS_POR_PARTE, none for none', () => {
    expect(enPartes([])).toEqual([]);
    const partes = enPartes(Array.from({ length: DIFERENCIAS_POR_PARTE * 2 + 1 }, (_, i) => i));
    expect(partes.map((p) => p.length)).toEqual([DIFERENCIAS_POR_PARTE, DIFERENCIAS_POR_PARTE, 1]);
    expect(partes.flat()[DIFERENCIAS_POR_PARTE]).toBe(DIFERENCIAS_POR_PARTE);
  });

  it('refuses a part larger than DIFERENCIAS_POR_PARTE and an orphan kind it does not know', () => {
    const d = { alumnoId: null, tipo: 'huerfano', referencia: 'x@y.edu', esperado: null, encontrado: 'x' };
    const parte = (n: number, tipo = 'huerfano') => ({
      reconciliacionId: '11111111-1111-4111-8111-111111111111',
      sistema: 'entra',
      parte: 0,
      diferencias: Array.from({ length: n }, () => ({ ...d, tipo })),
    });
    expect(DiferenciasEncontradas.schema.safeParse(parte(DIFERENCIAS_POR_PARTE)).success).toBe(true);
    expect(DiferenciasEncontradas.schema.safeParse(parte(DIFERENCIAS_POR_PARTE + 1)).success).toBe(false);
    expect(DiferenciasEncontradas.schema.safeParse(parte(1, 'otra_cosa')).success).toBe(false);
    expect(ReconciliarCuentas.replies.map((r) => r.name)).toEqual([
      'reconciliacion.parcial-terminada',
      'reconciliacion.parcial-fallida',
    ]);
  });
});
