// The lote rows and the students each one set in motion (lote_alumno), read and written in the caller's
// transaction. A lote is read with its derived state (estado-lote.ts); its plan's items are PlanRepository's.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LoteIngestado, LotePlanificado } from '@lucy/contracts';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { lotes } from './estado-lote.js';
import { PLAN_RECIBIDO, type FilaLote } from './progreso.js';

export interface LoteSolicitado {
  loteId: string;
  actor: string;
  correlationId: string;
  simulacion: boolean;
}

@Injectable()
export class LoteRepository {
  private readonly s: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  /** A pull just asked for: of SIAL, or of the OneRoster server. */
  async registrarPull(m: EntityManager, l: LoteSolicitado, origen: 'sial' | 'oneroster'): Promise<void> {
    await m.query(
      `INSERT INTO ${this.s}.lote (id, origen, estado, solicitado_por, correlation_id, simulacion) VALUES ($1, $5, 'solicitado', $2, $3, $4)`,
      [l.loteId, l.actor, l.correlationId, l.simulacion, origen],
    );
  }

  /** An uploaded file just handed over, with its rows' count. */
  async registrarUpload(
    m: EntityManager,
    l: LoteSolicitado & { nombreArchivo: string | null; total: number },
  ): Promise<void> {
    await m.query(
      `INSERT INTO ${this.s}.lote (id, origen, estado, solicitado_por, correlation_id, nombre_archivo, total, simulacion) VALUES ($1, 'upload', 'solicitado', $2, $3, $4, $5, $6)`,
      [l.loteId, l.actor, l.correlationId, l.nombreArchivo, l.total, l.simulacion],
    );
  }

  /** ingest-service's summary of the lote (the row created if the summary came first) and its students. */
  async ingestado(m: EntityManager, e: LoteIngestado): Promise<void> {
    await m.query(
      `INSERT INTO ${this.s}.lote (id, origen, estado, solicitado_por, correlation_id) VALUES ($1, $2, 'ingestado', 'sistema', $3) ON CONFLICT (id) DO NOTHING`,
      [e.loteId, e.origen, `lote-${e.loteId}`],
    );
    await m.query(
      `UPDATE ${this.s}.lote SET estado = 'ingestado', total = $2, nuevos = $3, actualizados = $4, sin_cambios = $5, invalidos = $6,
              bajas = $7, retornos = $8, bajas_desconocidas = $9, avisos = $10, ingestado_at = now() WHERE id = $1`,
      [
        e.loteId,
        e.alumnoIds.length,
        e.nuevos,
        e.actualizados,
        e.sinCambios,
        JSON.stringify(e.invalidos),
        e.bajas ?? null,
        e.retornos ?? null,
        JSON.stringify(e.bajasDesconocidas ?? []),
        JSON.stringify(e.avisos ?? []),
      ],
    );
    if (e.alumnoIds.length) {
      await m.query(
        `INSERT INTO ${this.s}.lote_alumno (lote_id, alumno_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [e.loteId, e.alumnoIds],
      );
    }
  }

  async fallido(m: EntityManager, loteId: string, motivo: string): Promise<void> {
    await m.query(`UPDATE ${this.s}.lote SET estado = 'fallido', error = $2 WHERE id = $1`, [loteId, motivo]);
  }

  /**
   * Keeps ingest-service's plan on a lote still waiting for its answer, which now waits for an operator (the
   * row is created if the plan came first). Returns whether the lote took it: false when the plan is
   * announced again after an operator decided (TypeORM answers an UPDATE with [rows, count]).
   */
  async planificar(m: EntityManager, e: LotePlanificado): Promise<boolean> {
    await m.query(
      `INSERT INTO ${this.s}.lote (id, origen, estado, solicitado_por, correlation_id, simulacion) VALUES ($1, $2, 'solicitado', 'sistema', $3, $4)
       ON CONFLICT (id) DO NOTHING`,
      [e.loteId, e.origen, `lote-${e.loteId}`, e.simulado],
    );
    const { loteId: _, ...plan } = e;
    const [filas] = (await m.query(
      `UPDATE ${this.s}.lote SET estado = $2, plan = $3 WHERE id = $1 AND estado = 'solicitado' AND resolucion IS NULL RETURNING id`,
      [e.loteId, e.simulado ? 'simulado' : 'esperando_aprobacion', JSON.stringify(plan)],
    )) as [unknown[], number];
    return filas.length > 0;
  }

  /** The lote an operator resolves, locked for update, with how many of its plan's items arrived (`recibidos`). */
  async aResolver(m: EntityManager, loteId: string): Promise<Record<string, any> | undefined> {
    const [lote] = await m.query(
      `SELECT l.id, l.origen, l.estado, l.simulacion, l.plan, l.nombre_archivo, l.correlation_id,
              (SELECT count(*)::int FROM ${this.s}.lote_plan p WHERE p.lote_id = l.id) AS recibidos
         FROM ${this.s}.lote l WHERE l.id = $1 FOR UPDATE`,
      [loteId],
    );
    return lote;
  }

  /** Records an operator's resolution and the state it moves the lote to. */
  async resolver(m: EntityManager, loteId: string, estado: string, resolucion: string, actor: string): Promise<void> {
    await m.query(
      `UPDATE ${this.s}.lote SET estado = $2, resolucion = $3, resuelto_por = $4, resuelto_at = now() WHERE id = $1`,
      [loteId, estado, resolucion, actor],
    );
  }

  /** The lote's plan as ingest-service announced it; undefined when there is no such lote. */
  async plan(m: EntityManager, loteId: string): Promise<{ plan: Record<string, any> | null } | undefined> {
    const [lote] = await m.query(`SELECT plan FROM ${this.s}.lote WHERE id = $1`, [loteId]);
    return lote;
  }

  /** The lote with its derived state; undefined when there is none. */
  async leer(m: EntityManager, loteId: string): Promise<Record<string, unknown> | undefined> {
    const [lote] = await m.query(`SELECT * FROM ${lotes(this.s)} l WHERE id = $1`, [loteId]);
    return lote;
  }

  /**
   * Students of each lote by workflow state, and how many of its plan's items arrived. Released students have a
   * workflow; the rest are 'pendiente', or waiting for approval ('pendiente_aprobacion'), or left before it ('descartado').
   */
  async conteos(m: EntityManager, loteIds: string[]): Promise<FilaLote[]> {
    if (!loteIds.length) return [];
    return m.query(
      `SELECT la.lote_id, coalesce(w.estado, CASE e.estado WHEN 'pendiente' THEN 'pendiente_aprobacion' WHEN 'descartado' THEN 'descartado' END, 'pendiente') AS estado,
              count(*)::int AS n
         FROM ${this.s}.lote_alumno la
         LEFT JOIN ${this.s}.workflow w ON w.alumno_id = la.alumno_id AND w.tipo = 'onboarding'
         LEFT JOIN ${this.s}.alumno_por_aprobar e ON e.alumno_id = la.alumno_id
        WHERE la.lote_id = ANY($1::uuid[]) GROUP BY 1, 2
       UNION ALL
       SELECT lote_id, '${PLAN_RECIBIDO}', count(*)::int FROM ${this.s}.lote_plan WHERE lote_id = ANY($1::uuid[]) GROUP BY 1`,
      [loteIds],
    );
  }
}
