// Every list the saga derives from its step table must name every step it concerns: a step added to the
// table and missed by one of them (the sweeper's undo list, the deadlines, the API, the actions, the
// events the gateway subscribes to, the rows the repository saves) fails here.
import type { EntityManager } from 'typeorm';
import { ACCIONES } from '../acciones/acciones.service.js';
import { SAGA_EVENT_HANDLERS } from '../handlers/saga-events.handler.js';
import { WorkflowRepository } from '../workflows/workflow.repository.js';
import { nuevoOnboarding, PASOS } from './onboarding.model.js';
import { TABLA, type Paso } from './onboarding.pasos.js';
import {
  ACCIONES_OPERADOR,
  aplicar,
  COMPENSACIONES,
  DESCRIPCION_PASOS,
  EVENTOS_DEL_SAGA,
  NO_CRITICOS,
  PASOS_DESHACER,
  VENCIMIENTOS_MS,
} from './onboarding.saga.js';

const adelante = TABLA.filter((p) => !p.deshace);
const deshacer = TABLA.filter((p) => p.deshace);

describe('the onboarding step table', () => {
  it('names existing steps in tras and deshace, and every step once', () => {
    const nombres = TABLA.map((p) => p.paso);
    expect(new Set(nombres).size).toBe(nombres.length);
    for (const p of TABLA) {
      if (p.tras) expect(nombres).toContain(p.tras);
      if (p.deshace) expect(adelante.map((a) => a.paso)).toContain(p.deshace);
    }
    expect(adelante.some((p) => p.critico)).toBe(true);
  });

  it('is the model: every step has its state in a new workflow and its description in the API', () => {
    expect([...PASOS].sort()).toEqual(TABLA.map((p) => p.paso).sort());
    const w = nuevoOnboarding('00000000-0000-4000-8000-000000000001');
    for (const p of TABLA) {
      expect(w.pasos[p.paso]).toMatchObject({ estado: 'pendiente' });
      expect(DESCRIPCION_PASOS[p.paso]).toEqual({
        etiqueta: p.etiqueta,
        critico: !!p.critico,
        deshace: p.deshace ?? null,
      });
    }
  });

  it('undoes every step that has an undo, in reverse forward order, and the sweeper retries each', () => {
    expect(COMPENSACIONES.map((c) => c.paso).sort()).toEqual(deshacer.map((p) => p.paso).sort());
    expect([...PASOS_DESHACER].sort()).toEqual(deshacer.map((p) => p.paso).sort());
    const orden = adelante.map((p) => p.paso);
    const deshechos = COMPENSACIONES.map((c) => orden.indexOf(c.deshace));
    expect(deshechos).toEqual([...deshechos].sort((a, b) => b - a));
    for (const p of deshacer) expect(p.comando).toBeDefined();
  });

  it('gives every step a deadline its phase waits for, and lets every non-critical step expire', () => {
    for (const p of adelante.filter((d) => d.critico))
      expect(VENCIMIENTOS_MS.creando_cuenta).toBeGreaterThanOrEqual(p.plazoMs);
    for (const p of adelante.filter((d) => !d.critico)) {
      expect(NO_CRITICOS).toContain(p.paso);
      expect(VENCIMIENTOS_MS.enrolando_y_notificando).toBeGreaterThanOrEqual(p.plazoMs);
    }
    for (const p of deshacer) expect(VENCIMIENTOS_MS.compensando).toBeGreaterThanOrEqual(p.plazoMs);
  });

  it('listens to every reply of every step, and the gateway subscribes to each', () => {
    const ids = EVENTOS_DEL_SAGA.map((d) => d.id);
    // What @Handler records on each class (libs/messaging's handler.decorator.ts).
    const suscritos = SAGA_EVENT_HANDLERS.map(
      (h) => (Reflect.getMetadata('lucy:message-handler', h) as { definition: { id: string } }).definition.id,
    );
    for (const p of TABLA) {
      expect(ids).toContain(p.ok.id);
      expect(ids).toContain(p.falla.id);
      expect(suscritos).toEqual(expect.arrayContaining([p.ok.id, p.falla.id]));
      const w = nuevoOnboarding('00000000-0000-4000-8000-000000000001');
      expect(() => aplicar(w, p.falla, { alumnoId: w.alumnoId, motivo: 'x', permanente: true }, 'now')).not.toThrow();
    }
  });

  it('offers every step action to operators and through the API', () => {
    for (const p of TABLA)
      for (const a of p.acciones ?? []) {
        expect(ACCIONES_OPERADOR).toContainEqual({ accion: a.accion, etiqueta: a.etiqueta, paso: p.paso });
        expect(ACCIONES).toContain(a.accion);
        expect(p.comando).toBeDefined();
      }
    expect(ACCIONES).toEqual(expect.arrayContaining(['activar', 'desaprovisionar']));
  });

  it('is saved whole: the repository writes one row per step', async () => {
    const queries: { sql: string; params: unknown[] }[] = [];
    const m = { query: async (sql: string, params: unknown[]) => void queries.push({ sql, params }) };
    const repo = new WorkflowRepository({ DB_SCHEMA: 'gw' });
    const state = nuevoOnboarding('00000000-0000-4000-8000-000000000001');
    await repo.save(
      m as unknown as EntityManager,
      { id: 'w1', correlationId: 'c', version: 1, venceAt: null, state },
      null,
    );
    const pasos = queries.find((q) => q.sql.includes('workflow_paso'))!.params;
    for (const p of TABLA) expect(pasos).toContain(p.paso satisfies Paso);
  });
});
