// The alumno_por_aprobar rows: new students who wait (or waited) for an operator's approval before their
// onboarding, with who approved them. Read and written in the caller's transaction.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlumnoEnEspera } from '@lucy/contracts';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';

@Injectable()
export class AlumnoPorAprobarRepository {
  private readonly s: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  /**
   * The student waits (with their latest data), or no longer does (they left first). An approval already
   * given stays given.
   */
  async registrarEspera(m: EntityManager, e: AlumnoEnEspera): Promise<void> {
    await m.query(
      `INSERT INTO ${this.s}.alumno_por_aprobar (alumno_id, id, lote_id, alumno, estado) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (alumno_id) DO UPDATE SET alumno = excluded.alumno, lote_id = coalesce(excluded.lote_id, alumno_por_aprobar.lote_id),
         estado = CASE WHEN excluded.estado = 'descartado' THEN 'descartado' ELSE alumno_por_aprobar.estado END, updated_at = now()`,
      [e.alumnoId, randomUUID(), e.loteId, JSON.stringify(e.alumno), e.enEspera ? 'pendiente' : 'descartado'],
    );
  }

  /** The lote the student waits in; null when they wait in none, or do not wait. */
  async loteDe(m: EntityManager, alumnoId: string): Promise<string | null> {
    const [{ lote_id: loteId = null } = {}] = await m.query(
      `SELECT lote_id FROM ${this.s}.alumno_por_aprobar WHERE alumno_id = $1`,
      [alumnoId],
    );
    return loteId;
  }

  /** What an approval needs to know of the student's row, locked for update; undefined when there is none. */
  async bloquear(
    m: EntityManager,
    alumnoId: string,
  ): Promise<{ estado: string; lote_id: string | null; aprobado_por: string | null } | undefined> {
    const [e] = await m.query(
      `SELECT estado, lote_id, aprobado_por FROM ${this.s}.alumno_por_aprobar WHERE alumno_id = $1 FOR UPDATE`,
      [alumnoId],
    );
    return e;
  }

  async aprobar(m: EntityManager, alumnoId: string, actor: string): Promise<void> {
    await m.query(
      `UPDATE ${this.s}.alumno_por_aprobar SET estado = 'aprobado', aprobado_por = $2, aprobado_at = now(), updated_at = now() WHERE alumno_id = $1`,
      [alumnoId, actor],
    );
  }

  /** The student's row; undefined when there is none. */
  async leer(m: EntityManager, alumnoId: string): Promise<Record<string, any> | undefined> {
    const [e] = await m.query(`SELECT * FROM ${this.s}.alumno_por_aprobar WHERE alumno_id = $1`, [alumnoId]);
    return e;
  }
}
