// The audit trail: written in the caller's transaction (so an entry commits with what it records), and read.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { Asiento } from './auditoria.js';
import { isoSql } from './json.sql.js';

@Injectable()
export class AuditoriaRepository {
  private readonly s: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  async registrar(m: EntityManager, a: Asiento): Promise<void> {
    await m.query(
      `INSERT INTO ${this.s}.auditoria (workflow_id, alumno_id, lote_id, evento, actor, message_id, causation_id, correlation_id, detalle)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        a.workflowId ?? null,
        a.alumnoId ?? null,
        a.loteId ?? null,
        a.evento,
        a.actor,
        a.messageId ?? null,
        a.causationId ?? null,
        a.correlationId ?? null,
        JSON.stringify(a.detalle ?? {}),
      ],
    );
  }

  /** The student's entries, oldest first, as the API shows them. */
  async delAlumno(m: EntityManager, alumnoId: string): Promise<AsientoLeido[]> {
    const [{ auditoria }] = await m.query(`SELECT ${this.delAlumnoSql('$1')} AS auditoria`, [alumnoId]);
    return auditoria;
  }

  /**
   * The same entries as one json array, a subquery for `alumnoSql` (a parameter or a column), so a page
   * that shows the trail beside other things reads it in its own query.
   */
  delAlumnoSql(alumnoSql: string): string {
    return `(SELECT coalesce(json_agg(json_build_object('at', ${isoSql('a.at')}, 'evento', a.evento, 'actor', a.actor,
              'messageId', a.message_id, 'causationId', a.causation_id, 'correlationId', a.correlation_id, 'detalle', a.detalle)
              ORDER BY a.id), '[]') FROM ${this.s}.auditoria a WHERE a.alumno_id = ${alumnoSql})`;
  }
}

export type AsientoLeido = Record<
  'at' | 'evento' | 'actor' | 'messageId' | 'causationId' | 'correlationId' | 'detalle',
  unknown
>;
