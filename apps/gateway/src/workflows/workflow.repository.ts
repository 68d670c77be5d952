// Loads and saves an onboarding workflow (row + steps) inside the caller's transaction. `forUpdate`
// locks the row so two events for the same student are applied one after the other.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { nuevoOnboarding, PASOS, type OnboardingState, type Paso } from '../sagas/onboarding.model.js';

export interface WorkflowRow {
  id: string;
  correlationId: string;
  version: number;
  state: OnboardingState;
}

export class WorkflowRepository {
  constructor(private readonly schema: string) {}

  private t(name: string) {
    return `"${this.schema}".${name}`;
  }

  /** The student's onboarding, created if this is the first event about them; locked for update. */
  async lockOrCreate(m: EntityManager, alumnoId: string, correlationId: string): Promise<WorkflowRow> {
    await m.query(
      `INSERT INTO ${this.t('workflow')} (id, alumno_id, tipo, estado, correlation_id) VALUES ($1, $2, 'onboarding', 'creando_cuenta', $3)
       ON CONFLICT (alumno_id, tipo) DO NOTHING`,
      [randomUUID(), alumnoId, correlationId],
    );
    return (await this.load(m, alumnoId, true))!;
  }

  async load(m: EntityManager, alumnoId: string, forUpdate = false): Promise<WorkflowRow | undefined> {
    const [row] = await m.query(
      `SELECT * FROM ${this.t('workflow')} WHERE alumno_id = $1 AND tipo = 'onboarding' ${forUpdate ? 'FOR UPDATE' : ''}`,
      [alumnoId],
    );
    if (!row) return undefined;
    const pasos = await m.query(`SELECT * FROM ${this.t('workflow_paso')} WHERE workflow_id = $1`, [row.id]);
    const state = nuevoOnboarding(alumnoId);
    Object.assign(state, {
      estado: row.estado,
      loteId: row.lote_id,
      alumno: row.alumno,
      upn: row.upn,
      graphUserId: row.graph_user_id,
      moodleUserId: row.moodle_user_id,
      cursos: row.cursos,
      avisos: row.avisos,
      error: row.error,
      atascado: row.atascado,
    });
    for (const p of pasos) {
      state.pasos[p.paso as Paso] = {
        estado: p.estado,
        intentos: p.intentos,
        ultimoError: p.ultimo_error,
        detalle: p.detalle,
        startedAt: p.started_at?.toISOString() ?? null,
        finishedAt: p.finished_at?.toISOString() ?? null,
      };
    }
    return { id: row.id, correlationId: row.correlation_id, version: row.version, state };
  }

  async save(m: EntityManager, w: WorkflowRow, venceAt: Date | null): Promise<void> {
    const s = w.state;
    const terminal = venceAt === null;
    await m.query(
      `UPDATE ${this.t('workflow')} SET estado = $2, lote_id = $3, alumno = $4, upn = $5, graph_user_id = $6, moodle_user_id = $7,
         cursos = $8, avisos = $9, error = $10, atascado = $11, vence_at = $12, version = version + 1, updated_at = now(),
         finished_at = CASE WHEN $13 THEN coalesce(finished_at, now()) ELSE NULL END
       WHERE id = $1`,
      [
        w.id,
        s.estado,
        s.loteId,
        JSON.stringify(s.alumno),
        s.upn,
        s.graphUserId,
        s.moodleUserId,
        JSON.stringify(s.cursos),
        JSON.stringify(s.avisos),
        s.error,
        s.atascado,
        venceAt,
        terminal,
      ],
    );
    const values: unknown[] = [];
    const rows = PASOS.map((paso, i) => {
      const p = s.pasos[paso];
      values.push(
        w.id,
        paso,
        i + 1,
        p.estado,
        p.intentos,
        p.ultimoError,
        p.detalle ? JSON.stringify(p.detalle) : null,
        p.startedAt,
        p.finishedAt,
      );
      const b = i * 9;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
    });
    await m.query(
      `INSERT INTO ${this.t('workflow_paso')} (workflow_id, paso, orden, estado, intentos, ultimo_error, detalle, started_at, finished_at) VALUES ${rows.join(', ')}
       ON CONFLICT (workflow_id, paso) DO UPDATE SET estado = excluded.estado, intentos = excluded.intentos, ultimo_error = excluded.ultimo_error,
         detalle = excluded.detalle, started_at = excluded.started_at, finished_at = excluded.finished_at`,
      values,
    );
  }
}
