// Reconciliation runs and their differences, in the caller's transaction. A run's row is locked before any
// answer of a service is applied, so answers that arrive together (parts, the end) are applied one at a time.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Diferencia, SistemaReconciliacion } from '@lucy/contracts';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { FilaCiclo, FilaOnboarding } from './esperados.js';
import type { ItemReparable } from './plan-reparacion.js';

export type EstadoReconciliacion = 'en_curso' | 'terminada' | 'fallida';
export const ESTADOS_RECONCILIACION = ['en_curso', 'terminada', 'fallida'] as const;

/** One system's answer so far. */
export interface EstadoSistema {
  estado: 'pendiente' | 'terminada' | 'fallida';
  partes?: number;
  diferencias?: number;
  revisados?: number;
  completa?: boolean;
  motivo?: string;
}

export interface ReconciliacionRow {
  id: string;
  estado: EstadoReconciliacion;
  actor: string;
  reparar: boolean;
  simular: boolean;
  alumnos: number;
  sistemas: Record<SistemaReconciliacion, EstadoSistema>;
  error: string | null;
  reparacion: 'pendiente' | 'iniciada' | null;
  resultadoReparacion: Record<string, unknown> | null;
  venceAt: Date;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface ItemRow extends Diferencia {
  sistema: SistemaReconciliacion;
  workflowId: string | null;
}

@Injectable()
export class ReconciliacionRepository {
  private readonly schema: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.schema = config.DB_SCHEMA;
  }

  private t(name: string) {
    return `"${this.schema}".${name}`;
  }

  /** Every student's onboarding, and every lifecycle workflow in creation order: what the expected state is read from. */
  async workflows(m: EntityManager): Promise<{ onboardings: FilaOnboarding[]; ciclos: FilaCiclo[] }> {
    const onboardings = await m.query(
      `SELECT alumno_id AS "alumnoId", estado, upn, alumno FROM ${this.t('workflow')} WHERE tipo = 'onboarding'`,
    );
    const ciclos = await m.query(
      `SELECT alumno_id AS "alumnoId", tipo, estado FROM ${this.t('workflow')} WHERE tipo <> 'onboarding'
        ORDER BY created_at, id`,
    );
    return { onboardings, ciclos };
  }

  /** Of these students, those whose leave is waiting out its grace (suspended: their accounts stay disabled). */
  async suspendidos(m: EntityManager, alumnoIds: readonly string[]): Promise<Set<string>> {
    if (!alumnoIds.length) return new Set();
    const rows: { alumnoId: string }[] = await m.query(
      `SELECT DISTINCT alumno_id AS "alumnoId" FROM ${this.t('workflow')}
        WHERE tipo = 'baja' AND estado = 'suspendido' AND alumno_id = ANY($1::uuid[])`,
      [alumnoIds],
    );
    return new Set(rows.map((r) => r.alumnoId));
  }

  async crear(
    m: EntityManager,
    r: Omit<ReconciliacionRow, 'createdAt' | 'finishedAt' | 'error' | 'reparacion' | 'resultadoReparacion'>,
  ) {
    await m.query(
      `INSERT INTO ${this.t('reconciliacion')} (id, estado, actor, reparar, simular, alumnos, sistemas, vence_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.id, r.estado, r.actor, r.reparar, r.simular, r.alumnos, JSON.stringify(r.sistemas), r.venceAt],
    );
  }

  async leer(m: EntityManager, id: string, lock = false): Promise<ReconciliacionRow | null> {
    const [row] = await m.query(`SELECT * FROM ${this.t('reconciliacion')} WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      id,
    ]);
    return row ? fila(row) : null;
  }

  async guardar(m: EntityManager, r: ReconciliacionRow): Promise<void> {
    await m.query(
      `UPDATE ${this.t('reconciliacion')} SET estado = $2, sistemas = $3, error = $4, reparacion = $5,
         resultado_reparacion = $6, finished_at = CASE WHEN $2 = 'en_curso' THEN NULL ELSE coalesce(finished_at, now()) END
       WHERE id = $1`,
      [
        r.id,
        r.estado,
        JSON.stringify(r.sistemas),
        r.error,
        r.reparacion,
        r.resultadoReparacion ? JSON.stringify(r.resultadoReparacion) : null,
      ],
    );
  }

  /** A part's differences, each kept once (a redelivered part adds nothing). */
  async agregarItems(m: EntityManager, id: string, sistema: string, parte: number, diferencias: readonly Diferencia[]) {
    if (!diferencias.length) return;
    await m.query(
      `INSERT INTO ${this.t('reconciliacion_item')}
         (reconciliacion_id, sistema, parte, orden, alumno_id, tipo, referencia, esperado, encontrado, campos, curso)
       SELECT $1, $2, $3, x.orden, x.alumno_id, x.tipo, x.referencia, x.esperado, x.encontrado, x.campos, x.curso
         FROM jsonb_to_recordset($4::jsonb) AS x(orden int, alumno_id uuid, tipo text, referencia text, esperado text,
           encontrado text, campos jsonb, curso text)
       ON CONFLICT DO NOTHING`,
      [
        id,
        sistema,
        parte,
        JSON.stringify(
          diferencias.map((d, orden) => ({
            orden,
            alumno_id: d.alumnoId,
            tipo: d.tipo,
            referencia: d.referencia,
            esperado: d.esperado,
            encontrado: d.encontrado,
            campos: d.campos ?? null,
            curso: d.curso ?? null,
          })),
        ),
      ],
    );
  }

  /** Differences kept per system. */
  async contarPorSistema(m: EntityManager, id: string): Promise<Record<string, number>> {
    const rows = await m.query(
      `SELECT sistema, count(*)::int AS n FROM ${this.t('reconciliacion_item')} WHERE reconciliacion_id = $1 GROUP BY sistema`,
      [id],
    );
    return Object.fromEntries(rows.map((r: { sistema: string; n: number }) => [r.sistema, r.n]));
  }

  async porTipo(m: EntityManager, id: string): Promise<Record<string, number>> {
    const rows = await m.query(
      `SELECT tipo, count(*)::int AS n FROM ${this.t('reconciliacion_item')} WHERE reconciliacion_id = $1 GROUP BY tipo`,
      [id],
    );
    return Object.fromEntries(rows.map((r: { tipo: string; n: number }) => [r.tipo, r.n]));
  }

  async items(
    m: EntityManager,
    id: string,
    f: { tipo?: string; sistema?: string; limit?: number; offset?: number } = {},
  ): Promise<{ total: number; items: ItemRow[] }> {
    const where = ['reconciliacion_id = $1'];
    const params: unknown[] = [id];
    if (f.tipo) where.push(`tipo = $${params.push(f.tipo)}`);
    if (f.sistema) where.push(`sistema = $${params.push(f.sistema)}`);
    const [{ total }] = await m.query(
      `SELECT count(*)::int AS total FROM ${this.t('reconciliacion_item')} WHERE ${where.join(' AND ')}`,
      params,
    );
    const limit = f.limit === undefined ? '' : `LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset ?? 0)}`;
    const rows = await m.query(
      `SELECT * FROM ${this.t('reconciliacion_item')} WHERE ${where.join(' AND ')} ORDER BY sistema, parte, orden ${limit}`,
      params,
    );
    return {
      total,
      items: rows.map((r: Record<string, unknown>) => ({
        sistema: r.sistema,
        alumnoId: r.alumno_id,
        tipo: r.tipo,
        referencia: r.referencia,
        esperado: r.esperado,
        encontrado: r.encontrado,
        ...(r.campos ? { campos: r.campos } : {}),
        ...(r.curso ? { curso: r.curso } : {}),
        workflowId: r.workflow_id ?? null,
      })),
    };
  }

  /**
   * The items no repair workflow was started for yet, each with its key in the run (system, part, position):
   * what a repair (or its resumption) plans from.
   */
  async sinWorkflow(m: EntityManager, id: string): Promise<ItemReparable[]> {
    const rows = await m.query(
      `SELECT sistema, parte, orden, alumno_id, tipo, referencia, campos, curso FROM ${this.t('reconciliacion_item')}
        WHERE reconciliacion_id = $1 AND workflow_id IS NULL ORDER BY sistema, parte, orden`,
      [id],
    );
    return rows.map((r: Record<string, any>) => ({
      clave: `${r.sistema}:${r.parte}:${r.orden}`,
      alumnoId: r.alumno_id,
      sistema: r.sistema,
      tipo: r.tipo,
      referencia: r.referencia,
      campos: r.campos ?? null,
      curso: r.curso ?? null,
    }));
  }

  /** Students whose items already have their repair workflow. */
  async alumnosConWorkflow(m: EntityManager, id: string): Promise<number> {
    const [{ n }] = await m.query(
      `SELECT count(DISTINCT alumno_id)::int AS n FROM ${this.t('reconciliacion_item')}
        WHERE reconciliacion_id = $1 AND workflow_id IS NOT NULL`,
      [id],
    );
    return n;
  }

  /**
   * The repair workflow on the items it repairs (keys from sinWorkflow), unless one was recorded there
   * meanwhile: how many it took. In the transaction that creates the workflow, so an item names the one
   * workflow that repairs it, or none.
   */
  async marcarWorkflow(m: EntityManager, id: string, claves: readonly string[], workflowId: string): Promise<number> {
    const [, count] = await m.query(
      `UPDATE ${this.t('reconciliacion_item')} i SET workflow_id = $2
         FROM unnest($3::text[], $4::int[], $5::int[]) AS k(sistema, parte, orden)
        WHERE i.reconciliacion_id = $1 AND i.sistema = k.sistema AND i.parte = k.parte AND i.orden = k.orden
          AND i.workflow_id IS NULL`,
      [id, workflowId, ...columnas(claves)],
    );
    return count as number;
  }

  /** How many of the items (keys from sinWorkflow) have their repair workflow. */
  async conWorkflow(m: EntityManager, id: string, claves: readonly string[]): Promise<number> {
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM ${this.t('reconciliacion_item')} i
         JOIN unnest($2::text[], $3::int[], $4::int[]) AS k(sistema, parte, orden)
           ON i.sistema = k.sistema AND i.parte = k.parte AND i.orden = k.orden
        WHERE i.reconciliacion_id = $1 AND i.workflow_id IS NOT NULL`,
      [id, ...columnas(claves)],
    );
    return n;
  }

  async listar(m: EntityManager, limit: number, offset: number) {
    const [{ total }] = await m.query(`SELECT count(*)::int AS total FROM ${this.t('reconciliacion')}`);
    const rows = await m.query(
      `SELECT r.*, (SELECT count(*)::int FROM ${this.t('reconciliacion_item')} i WHERE i.reconciliacion_id = r.id) AS diferencias
         FROM ${this.t('reconciliacion')} r ORDER BY created_at DESC, id LIMIT ${limit} OFFSET ${offset}`,
    );
    return {
      total,
      rows: rows.map((r: Record<string, unknown>) => ({ ...fila(r), diferencias: r.diferencias as number })),
    };
  }

  /** Runs past their deadline with an answer missing, locked and skipped by other replicas. */
  async vencidas(m: EntityManager): Promise<ReconciliacionRow[]> {
    const rows = await m.query(
      `SELECT * FROM ${this.t('reconciliacion')} WHERE estado = 'en_curso' AND vence_at < now() FOR UPDATE SKIP LOCKED`,
    );
    return rows.map(fila);
  }

  /** Finished runs whose repair waits to start (reparar: true). */
  async reparacionesPendientes(m: EntityManager): Promise<string[]> {
    const rows = await m.query(
      `SELECT id FROM ${this.t('reconciliacion')} WHERE reparacion = 'pendiente' ORDER BY created_at LIMIT 10`,
    );
    return rows.map((r: { id: string }) => r.id);
  }
}

/** Item keys (`sistema:parte:orden`) as the three arrays unnest() joins on. */
function columnas(claves: readonly string[]): [string[], number[], number[]] {
  const partes = claves.map((c) => c.split(':'));
  return [partes.map((p) => p[0]!), partes.map((p) => Number(p[1])), partes.map((p) => Number(p[2]))];
}

function fila(r: Record<string, unknown>): ReconciliacionRow {
  return {
    id: r.id as string,
    estado: r.estado as EstadoReconciliacion,
    actor: r.actor as string,
    reparar: r.reparar as boolean,
    simular: r.simular as boolean,
    alumnos: r.alumnos as number,
    sistemas: r.sistemas as ReconciliacionRow['sistemas'],
    error: (r.error as string | null) ?? null,
    reparacion: (r.reparacion as ReconciliacionRow['reparacion']) ?? null,
    resultadoReparacion: (r.resultado_reparacion as Record<string, unknown> | null) ?? null,
    venceAt: r.vence_at as Date,
    createdAt: r.created_at as Date,
    finishedAt: (r.finished_at as Date | null) ?? null,
  };
}
