// Tareas: one record per thing an operator set going — a SIAL sync, an upload, a bulk
// action, a retry — with its counts, details and start/end. Written in the caller's transaction when
// there is one, so a tarea exists exactly when its work was committed.
import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { WhereClause, type Page } from '../api/schemas.js';

export const TIPOS_TAREA = [
  'sincronizacion',
  'carga',
  'accion',
  'reintento',
  'dlq',
  'breaker',
  'configuracion',
] as const;
export type TipoTarea = (typeof TIPOS_TAREA)[number];
export const ESTADOS_TAREA = ['en_curso', 'completada', 'con_errores', 'fallida'] as const;
export type EstadoTarea = (typeof ESTADOS_TAREA)[number];

export interface NuevaTarea {
  tipo: TipoTarea;
  actor: string;
  estado?: EstadoTarea;
  loteId?: string | null;
  total?: number;
  exitosos?: number;
  fallidos?: number;
  detalle?: Record<string, unknown>;
}

export interface Tarea {
  id: string;
  tipo: TipoTarea;
  estado: EstadoTarea;
  actor: string;
  loteId: string | null;
  total: number;
  exitosos: number;
  fallidos: number;
  detalle: Record<string, unknown>;
  inicio: string;
  fin: string | null;
}

const tarea = (r: Record<string, any>): Tarea => ({
  id: r.id,
  tipo: r.tipo,
  estado: r.estado,
  actor: r.actor,
  loteId: r.lote_id,
  total: r.total,
  exitosos: r.exitosos,
  fallidos: r.fallidos,
  detalle: r.detalle,
  inicio: r.started_at.toISOString(),
  fin: r.finished_at?.toISOString() ?? null,
});

/** A finished tarea's state from its counts. */
export const estadoFinal = (exitosos: number, fallidos: number): EstadoTarea =>
  fallidos === 0 ? 'completada' : exitosos === 0 ? 'fallida' : 'con_errores';

@Injectable()
export class TareaService {
  private readonly t: string;

  constructor(
    @InjectConfig() config: GatewayConfig,
    private readonly db: DataSource,
  ) {
    this.t = `"${config.DB_SCHEMA}".tarea`;
  }

  /** Records a tarea; one that is not en_curso is recorded as finished now. */
  async registrar(t: NuevaTarea, m: EntityManager = this.db.manager): Promise<string> {
    const id = randomUUID();
    const estado = t.estado ?? 'en_curso';
    await m.query(
      `INSERT INTO ${this.t} (id, tipo, estado, actor, lote_id, total, exitosos, fallidos, detalle, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $3 = 'en_curso' THEN NULL ELSE now() END)`,
      [
        id,
        t.tipo,
        estado,
        t.actor,
        t.loteId ?? null,
        t.total ?? 0,
        t.exitosos ?? 0,
        t.fallidos ?? 0,
        JSON.stringify(t.detalle ?? {}),
      ],
    );
    return id;
  }

  /** The lote a sync or upload started was taken (or refused) by ingest-service: its tarea ends. */
  async terminarDeLote(
    m: EntityManager,
    loteId: string,
    r: { estado: EstadoTarea; total: number; exitosos: number; fallidos: number; detalle: Record<string, unknown> },
  ): Promise<void> {
    await m.query(
      `UPDATE ${this.t} SET estado = $2, total = $3, exitosos = $4, fallidos = $5, detalle = detalle || $6::jsonb, finished_at = now()
        WHERE lote_id = $1 AND tipo IN ('sincronizacion', 'carga') AND estado = 'en_curso'`,
      [loteId, r.estado, r.total, r.exitosos, r.fallidos, JSON.stringify(r.detalle)],
    );
  }

  async una(id: string): Promise<Tarea> {
    const [row] = await this.db.query(`SELECT * FROM ${this.t} WHERE id = $1`, [id]);
    if (!row) throw new NotFoundException(`no existe la tarea ${id}`);
    return tarea(row);
  }

  async listar(q: {
    tipo?: string;
    estado?: string;
    actor?: string;
    loteId?: string;
    desde?: string;
    hasta?: string;
    limit: number;
    offset: number;
  }): Promise<Page<Tarea>> {
    const f = new WhereClause()
      .add((p) => `tipo = ${p}`, q.tipo)
      .add((p) => `estado = ${p}`, q.estado)
      .add((p) => `actor = ${p}`, q.actor)
      .add((p) => `lote_id = ${p}`, q.loteId)
      .add((p) => `started_at >= ${p}::timestamptz`, q.desde)
      .add((p) => `started_at < ${p}::timestamptz`, q.hasta);
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM ${this.t} ${f.sql}`, f.params);
    const rows = await this.db.query(
      `SELECT * FROM ${this.t} ${f.sql} ORDER BY started_at DESC, id LIMIT ${f.param(q.limit)} OFFSET ${f.param(q.offset)}`,
      f.params,
    );
    return { total, limit: q.limit, offset: q.offset, items: rows.map(tarea) };
  }
}
