// The lote rows: recorded once per pull or upload, locked while its window moves (a lote's releases
// happen one at a time across replicas), completed when every student is on their way.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConteosPlan } from '../domain/plan.js';
import { LoteEntity, type EstadoLote, type OrigenLote } from './lote.entity.js';
import { qualifiedTable } from './qualified-table.js';

export interface LoteNuevo {
  id: string;
  origen: OrigenLote;
  descripcion: string | null;
  correlationId: string;
}

export interface LoteBloqueado {
  id: string;
  estado: EstadoLote;
  correlationId: string;
}

@Injectable()
export class LoteRepository {
  buscar(m: EntityManager, id: string): Promise<LoteEntity | null> {
    return m.findOneBy(LoteEntity, { id });
  }

  /**
   * A lote that failed before may be tried again under the same id: its row is overwritten. False when
   * the lote exists and did not fail (another delivery registered it meanwhile): write nothing more.
   */
  async guardarIngestado(m: EntityManager, lote: LoteNuevo, c: ConteosPlan, estado: EstadoLote): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO ${qualifiedTable(m, 'lote')} AS l (id, origen, descripcion, estado, correlation_id, total, nuevos, actualizados, sin_cambios, invalidos, filas_invalidas,
                                                      bajas, retornos, bajas_desconocidas, avisos, ingested_at, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14::jsonb, $15::jsonb, now(), CASE WHEN $4 = 'completado' THEN now() END)
       ON CONFLICT (id) DO UPDATE SET
         origen = excluded.origen, descripcion = excluded.descripcion, estado = excluded.estado, correlation_id = excluded.correlation_id,
         total = excluded.total, nuevos = excluded.nuevos, actualizados = excluded.actualizados, sin_cambios = excluded.sin_cambios,
         invalidos = excluded.invalidos, filas_invalidas = excluded.filas_invalidas, bajas = excluded.bajas, retornos = excluded.retornos,
         bajas_desconocidas = excluded.bajas_desconocidas, avisos = excluded.avisos, motivo_fallo = NULL, failed_at = NULL,
         ingested_at = excluded.ingested_at, completed_at = excluded.completed_at
       WHERE l.estado = 'fallido'
       RETURNING id`,
      [
        lote.id,
        lote.origen,
        lote.descripcion,
        estado,
        lote.correlationId,
        c.total,
        c.nuevos,
        c.actualizados,
        c.sinCambios,
        c.filasInvalidas.length,
        JSON.stringify(c.filasInvalidas),
        c.bajas,
        c.retornos,
        JSON.stringify(c.bajasDesconocidas),
        JSON.stringify(c.avisos ?? []),
      ],
    );
    return rows.length > 0;
  }

  async guardarFallido(m: EntityManager, lote: LoteNuevo, motivo: string): Promise<void> {
    await m.query(
      `INSERT INTO ${qualifiedTable(m, 'lote')} AS l (id, origen, descripcion, estado, correlation_id, motivo_fallo, failed_at)
       VALUES ($1, $2, $3, 'fallido', $4, $5, now())
       ON CONFLICT (id) DO UPDATE SET motivo_fallo = excluded.motivo_fallo, failed_at = now(), correlation_id = excluded.correlation_id
       WHERE l.estado = 'fallido'`,
      [lote.id, lote.origen, lote.descripcion, lote.correlationId, motivo],
    );
  }

  /**
   * Locks the lote's row for this transaction: its window moves under this lock only. `saltar` (the
   * sweep) passes over a lote another replica is working on instead of waiting for it.
   */
  async bloquear(m: EntityManager, id: string, opciones: { saltar?: boolean } = {}): Promise<LoteBloqueado | null> {
    const rows = await m.query(
      `SELECT id, estado, correlation_id AS "correlationId" FROM ${qualifiedTable(m, 'lote')} WHERE id = $1 FOR UPDATE${opciones.saltar ? ' SKIP LOCKED' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async completar(m: EntityManager, id: string): Promise<void> {
    await m.query(
      `UPDATE ${qualifiedTable(m, 'lote')} SET estado = 'completado', completed_at = now() WHERE id = $1 AND estado = 'en_curso'`,
      [id],
    );
  }

  /** A completed lote has students to release again (one held for approval was approved). The caller holds its lock. */
  async reabrir(m: EntityManager, id: string): Promise<void> {
    await m.query(
      `UPDATE ${qualifiedTable(m, 'lote')} SET estado = 'en_curso', completed_at = NULL WHERE id = $1 AND estado = 'completado'`,
      [id],
    );
  }

  async enCurso(m: EntityManager, limite = 500): Promise<{ id: string; correlationId: string }[]> {
    return m.query(
      `SELECT id, correlation_id AS "correlationId" FROM ${qualifiedTable(m, 'lote')} WHERE estado = 'en_curso' ORDER BY received_at LIMIT $1`,
      [limite],
    );
  }

  /** The lotes in progress with students still waiting to be released: those a larger window can move. */
  async enCursoConPendientes(m: EntityManager): Promise<{ id: string; correlationId: string }[]> {
    return m.query(
      `SELECT l.id, l.correlation_id AS "correlationId" FROM ${qualifiedTable(m, 'lote')} l
       WHERE l.estado = 'en_curso' AND EXISTS (SELECT 1 FROM ${qualifiedTable(m, 'lote_item')} i WHERE i.lote_id = l.id AND i.release_state = 'pending')
       ORDER BY l.received_at`,
    );
  }
}
