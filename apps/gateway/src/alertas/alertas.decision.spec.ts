import { alertaDe, type Hecho } from './alertas.decision.js';

const ahora = new Date('2026-03-02T09:00:00Z');
const ejecucion = (resultado: 'ok' | 'fallido' | 'omitido'): Hecho => ({
  tipo: 'ejecucion',
  trabajo: 'sial',
  ejecucionId: 'e1',
  resultado,
  disparo: 'programada',
  error: resultado === 'fallido' ? 'SIAL no responde' : undefined,
});
const terminada = (diferencias: number): Hecho => ({
  tipo: 'reconciliacion',
  reconciliacionId: 'r1',
  estado: 'terminada',
  diferencias,
  porTipo: { faltante: diferencias },
});

describe('alertaDe', () => {
  it('a failed job run alerts, naming the job, the run and the error', () => {
    expect(alertaDe(ejecucion('fallido'), 50, ahora)).toEqual({
      tipo: 'trabajo_fallido',
      datos: {
        titulo: 'Falló el trabajo sial (programada)',
        trabajo: 'sial',
        ejecucionId: 'e1',
        motivo: 'SIAL no responde',
        ocurridaAt: '2026-03-02T09:00:00.000Z',
      },
    });
  });

  it('an ok or skipped run does not alert', () => {
    expect(alertaDe(ejecucion('ok'), 0, ahora)).toBeNull();
    expect(alertaDe(ejecucion('omitido'), 0, ahora)).toBeNull();
  });

  it('a failed reconciliation alerts whatever the threshold', () => {
    const a = alertaDe(
      {
        tipo: 'reconciliacion',
        reconciliacionId: 'r1',
        estado: 'fallida',
        error: 'moodle: timeout',
        diferencias: 0,
        porTipo: {},
      },
      1_000_000,
      ahora,
    );
    expect(a?.tipo).toBe('reconciliacion_fallida');
    expect(a?.datos).toMatchObject({ reconciliacionId: 'r1', motivo: 'moodle: timeout' });
  });

  it('drift alerts only above the threshold', () => {
    expect(alertaDe(terminada(50), 50, ahora)).toBeNull();
    const a = alertaDe(terminada(51), 50, ahora);
    expect(a?.tipo).toBe('deriva');
    expect(a?.datos).toMatchObject({ diferencias: 51, umbral: 50, porTipo: { faltante: 51 } });
  });

  it('threshold 0: any difference alerts, none does not', () => {
    expect(alertaDe(terminada(0), 0, ahora)).toBeNull();
    expect(alertaDe(terminada(1), 0, ahora)?.tipo).toBe('deriva');
  });

  it('a long error is cut to what the contract takes', () => {
    const a = alertaDe({ ...ejecucion('fallido'), error: 'x'.repeat(5000) } as Hecho, 0, ahora);
    expect(a?.datos.motivo).toHaveLength(2000);
  });
});
