// Loads and saves an onboarding workflow (row + steps) inside the caller's transaction. `forUpdate`
// locks the row so two events for the same student are applied one after the other. The steps are the
// saga's table (onboarding.pasos.ts): one row each in workflow_paso, with what they keep in `detalle`.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { guardarPasos, pasoDeFila } from './pasos.sql.js';
import { nuevoOnboarding, PASOS, type OnboardingState, type Paso } from '../sagas/onboarding.model.js';

export interface WorkflowRow {
  id: string;
  correlationId: string;
  version: number;
  /** When the workflow is overdue, as last saved. */
  venceAt: Date | null;
  state: OnboardingState;
  /** The steps as read (JSON per step), so save() writes only those that changed; absent, it writes them all. */
  pasosLeidos?: Map<string, string>;
}

@Injectable()
export class WorkflowRepository {
  private readonly schema: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.schema = config.DB_SCHEMA;
  }

  private t(name: string) {
    return `"${this.schema}".${name}`;
  }

  /**
   * The workflows due for something, locked for this transaction and skipped by other replicas' (SKIP
   * LOCKED): `where` is a condition on the workflow row `w`, its parameters from $1.
   */
  async lockDue(m: EntityManager, where: string, params: unknown[], limit = 200): Promise<WorkflowRow[]> {
    const rows: { alumno_id: string }[] = await m.query(
      `SELECT w.alumno_id FROM ${this.t('workflow')} w WHERE w.tipo = 'onboarding' AND (${where}) ORDER BY w.vence_at NULLS LAST LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      params,
    );
    const out: WorkflowRow[] = [];
    for (const r of rows) out.push((await this.load(m, r.alumno_id))!);
    return out;
  }

  /** Steps in one of `pasos` that failed fewer than `maxIntentos` times, with their workflow's state. */
  async failedSteps(
    m: EntityManager,
    pasos: readonly string[],
    estados: readonly string[],
    maxIntentos: number,
  ): Promise<{ alumnoId: string; paso: string; intentos: number; finishedAt: Date }[]> {
    const rows: { alumno_id: string; paso: string; intentos: number; finished_at: Date }[] = await m.query(
      `SELECT w.alumno_id, p.paso, p.intentos, p.finished_at FROM ${this.t('workflow')} w JOIN ${this.t('workflow_paso')} p ON p.workflow_id = w.id
        WHERE w.estado = ANY($1) AND p.estado = 'fallido' AND p.paso = ANY($2) AND p.intentos < $3`,
      [estados, pasos, maxIntentos],
    );
    return rows.map((r) => ({ alumnoId: r.alumno_id, paso: r.paso, intentos: r.intentos, finishedAt: r.finished_at }));
  }

  /**
   * The student's onboarding, created if this is the first event about them; locked for update. Looked for
   * first: every event but the first finds it, with one statement instead of an insert that does nothing
   * and then the read. Two first events at once both insert; the second waits on the first's row and
   * inserts nothing, then locks it as before.
   */
  async lockOrCreate(m: EntityManager, alumnoId: string, correlationId: string): Promise<WorkflowRow> {
    const found = await this.load(m, alumnoId, true);
    if (found) return found;
    await m.query(
      `INSERT INTO ${this.t('workflow')} (id, alumno_id, tipo, estado, correlation_id) VALUES ($1, $2, 'onboarding', 'creando_cuenta', $3)
       ON CONFLICT (alumno_id) WHERE tipo = 'onboarding' DO NOTHING`,
      [randomUUID(), alumnoId, correlationId],
    );
    return (await this.load(m, alumnoId, true))!;
  }

  /** The state of the student's onboarding; undefined when it has not started. */
  async estado(m: EntityManager, alumnoId: string): Promise<string | undefined> {
    const [w] = await m.query(`SELECT estado FROM ${this.t('workflow')} WHERE alumno_id = $1 AND tipo = 'onboarding'`, [
      alumnoId,
    ]);
    return w?.estado;
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
      cursos: row.cursos,
      avisos: row.avisos,
      error: row.error,
      atascado: row.atascado,
    });
    const pasosLeidos = new Map<string, string>();
    for (const p of pasos) {
      if (!PASOS.includes(p.paso)) continue;
      state.pasos[p.paso as Paso] = pasoDeFila(p);
      pasosLeidos.set(p.paso, JSON.stringify(state.pasos[p.paso as Paso]));
    }
    return {
      id: row.id,
      correlationId: row.correlation_id,
      version: row.version,
      venceAt: row.vence_at,
      state,
      pasosLeidos,
    };
  }

  async save(m: EntityManager, w: WorkflowRow, venceAt: Date | null): Promise<void> {
    const s = w.state;
    const terminal = venceAt === null;
    await m.query(
      `UPDATE ${this.t('workflow')} SET estado = $2, lote_id = $3, alumno = $4, upn = $5,
         cursos = $6, avisos = $7, error = $8, atascado = $9, vence_at = $10, version = version + 1, updated_at = now(),
         finished_at = CASE WHEN $11 THEN coalesce(finished_at, now()) ELSE NULL END
       WHERE id = $1`,
      [
        w.id,
        s.estado,
        s.loteId,
        JSON.stringify(s.alumno),
        s.upn,
        JSON.stringify(s.cursos),
        JSON.stringify(s.avisos),
        s.error,
        s.atascado,
        venceAt,
        terminal,
      ],
    );
    // An event changes one or two steps: rewriting all five made four row versions for nothing each time.
    // Their `orden` is their place in PASOS, whichever are written.
    const cambiados = PASOS.map((paso, i) => ({ paso, i, json: JSON.stringify(s.pasos[paso]) })).filter(
      (p) => w.pasosLeidos?.get(p.paso) !== p.json,
    );
    if (cambiados.length === 0) return;
    await guardarPasos(
      m,
      this.t('workflow_paso'),
      w.id,
      cambiados.map(({ paso, i }) => [paso, s.pasos[paso], i + 1] as const),
    );
    for (const p of cambiados) w.pasosLeidos?.set(p.paso, p.json);
  }
}
