import type { Purgado } from '@lucy/contracts';
import { cortesGateway, desenlace, totales, type Resultado } from './retencion.reglas.js';

const purgado = (tipo: Purgado['tipo'], cantidad: number): Purgado => ({
  tipo,
  cantidad,
  corte: '2027-01-01T00:00:00.000Z',
  duracionMs: 3,
});
const aplicada = (...purgados: Purgado[]): Resultado => ({ estado: 'aplicada', purgados, at: '2027-03-20T12:00:00Z' });
const fallida: Resultado = { estado: 'fallida', motivo: 'la base no responde', at: '2027-03-20T12:00:00Z' };

describe('retención: reglas', () => {
  it('cuts the audit trail by its own age, tareas and workflows by dias', () => {
    const c = cortesGateway(new Date('2027-03-20T12:00:00Z'), { dias: 90, auditoriaDias: 365, aparcadosDias: 7 });
    expect(c.auditoria.toISOString()).toBe('2026-03-20T12:00:00.000Z');
    expect(c.tareas.toISOString()).toBe('2026-12-20T12:00:00.000Z');
    expect(c.workflows).toEqual(c.tareas);
  });

  it('is en_curso until every service answered, terminada when all applied it', () => {
    const servicios = ['gateway', 'teams-service'];
    expect(desenlace(servicios, { gateway: aplicada() }, false).estado).toBe('en_curso');
    expect(desenlace(servicios, { gateway: aplicada(), 'teams-service': aplicada() }, false).estado).toBe('terminada');
  });

  it('is fallida when one failed, once all answered', () => {
    const servicios = ['gateway', 'teams-service', 'mail-service'];
    expect(desenlace(servicios, { gateway: aplicada(), 'teams-service': fallida }, false).estado).toBe('en_curso');
    const d = desenlace(
      servicios,
      { gateway: aplicada(), 'teams-service': fallida, 'mail-service': aplicada() },
      false,
    );
    expect(d.estado).toBe('fallida');
  });

  it('at the deadline reports the silent services sin_respuesta and fails the run', () => {
    const d = desenlace(['gateway', 'moodle-service'], { gateway: aplicada() }, true);
    expect(d).toEqual({
      estado: 'fallida',
      resultados: { gateway: aplicada(), 'moodle-service': { estado: 'sin_respuesta' } },
    });
    expect(desenlace(['gateway'], { gateway: aplicada() }, true).estado).toBe('terminada');
  });

  it('adds up each kind over the services that applied it', () => {
    expect(
      totales({
        gateway: aplicada(purgado('auditoria', 5), purgado('inbox', 2)),
        'teams-service': aplicada(purgado('inbox', 3), purgado('aparcados', 1)),
        'mail-service': fallida,
      }),
    ).toEqual({ auditoria: 5, inbox: 5, aparcados: 1 });
  });
});
