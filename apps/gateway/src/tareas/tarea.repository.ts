// The tarea rows, read and written in the caller's transaction (the caller passes its EntityManager):
// a tarea exists exactly when the work it records was committed.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { WhereClause } from '../api/schemas.js';

export interface FilaTareaNueva {
  id: string;
  tipo: string;
  estado: string;
  actor: string;
  loteId: string | null;
  total: number;
  exitosos: number;
  fallidos: number;
  detalle: Record<string, unknown>;
}

export interface FiltroTareas {
  tipo?: string;
  estado?: string;
  actor?: string;
  loteId?: string;
  desde?: string;
  hasta?: string;
  limit: number;
  offset: number;
}

@Injectable()
export class TareaRepository {
  private readonly t: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.t = `"${config.DB_SCHEMA}".tarea`;
  }

  /** Inserts the row; one that is not en_curso is recorded as finished now. */
  async insertar(m: EntityManager, t: FilaTareaNueva): Promise<void> {
    await m.query(
      `INSERT INTO ${this.t} (id, tipo, estado, actor, lote_id, total, exitosos, fallidos, detalle, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $3 = 'en_curso' THEN NULL ELSE now() END)`,
      [t.id, t.tipo, t.estado, t.actor, t.loteId, t.total, t.exitosos, t.fallidos, JSON.stringify(t.detalle)],
    );
  }

  /** Ends the running sync or upload tarea of a lote, with its counts; its detail gains `r.detalle`. */
  async terminarDeLote(
    m: EntityManager,
    loteId: string,
    r: { estado: string; total: number; exitosos: number; fallidos: number; detalle: Record<string, unknown> },
  ): Promise<void> {
    await m.query(
      `UPDATE ${this.t} SET estado = $2, total = $3, exitosos = $4, fallidos = $5, detalle = detalle || $6::jsonb, finished_at = now()
        WHERE lote_id = $1 AND tipo IN ('sincronizacion', 'carga') AND estado = 'en_curso'`,
      [loteId, r.estado, r.total, r.exitosos, r.fallidos, JSON.stringify(r.detalle)],
    );
  }

  async leer(m: EntityManager, id: string): Promise<Record<string, any> | undefined> {
    const [row] = await m.query(`SELECT * FROM ${this.t} WHERE id = $1`, [id]);
    return row;
  }

  /** The rows that match, newest first, one page of them, and how many match in all. */
  async listar(m: EntityManager, q: FiltroTareas): Promise<{ total: number; rows: Record<string, any>[] }> {
    const f = new WhereClause()
      .add((p) => `tipo = ${p}`, q.tipo)
      .add((p) => `estado = ${p}`, q.estado)
      .add((p) => `actor = ${p}`, q.actor)
      .add((p) => `lote_id = ${p}`, q.loteId)
      .add((p) => `started_at >= ${p}::timestamptz`, q.desde)
      .add((p) => `started_at < ${p}::timestamptz`, q.hasta);
    const [{ total }] = await m.query(`SELECT count(*)::int AS total FROM ${this.t} ${f.sql}`, f.params);
    const rows = await m.query(
      `SELECT * FROM ${this.t} ${f.sql} ORDER BY started_at DESC, id LIMIT ${f.param(q.limit)} OFFSET ${f.param(q.offset)}`,
      f.params,
    );
    return { total, rows };
  }
}
