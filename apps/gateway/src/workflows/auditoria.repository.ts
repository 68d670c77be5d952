// Reading the audit trail (its entries are written by auditoria.ts's `registrar`, in the caller's transaction).
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';

@Injectable()
export class AuditoriaRepository {
  private readonly s: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  /** The student's entries, oldest first. */
  delAlumno(m: EntityManager, alumnoId: string): Promise<Record<string, unknown>[]> {
    return m.query(
      `SELECT at, evento, actor, message_id, causation_id, correlation_id, detalle FROM ${this.s}.auditoria WHERE alumno_id = $1 ORDER BY id`,
      [alumnoId],
    );
  }
}
