// The audit trail: written in the caller's transaction (so an entry commits with what it records), and read.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { Asiento } from './auditoria.js';

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
    const filas: Record<string, unknown>[] = await m.query(
      `SELECT at, evento, actor, message_id, causation_id, correlation_id, detalle FROM ${this.s}.auditoria WHERE alumno_id = $1 ORDER BY id`,
      [alumnoId],
    );
    return filas.map((a) => ({
      at: a.at,
      evento: a.evento,
      actor: a.actor,
      messageId: a.message_id,
      causationId: a.causation_id,
      correlationId: a.correlation_id,
      detalle: a.detalle,
    }));
  }
}

export type AsientoLeido = Record<
  'at' | 'evento' | 'actor' | 'messageId' | 'causationId' | 'correlationId' | 'detalle',
  unknown
>;
