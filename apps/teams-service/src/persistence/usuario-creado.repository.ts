// The note of each Graph user an onboarding creates (usuario_creado). Written at once, in a transaction
// of its own (no EntityManager passed: `anotar`), so it outlives an attempt whose last transaction never
// commits; read in a short transaction of the handler's, cleared in its last one.
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { UsuarioCreadoEntity } from './usuario-creado.entity.js';

@Injectable()
export class UsuarioCreadoRepository {
  private readonly log = new Logger(UsuarioCreadoRepository.name);

  constructor(private readonly db: DataSource) {}

  /**
   * Best effort: if the note cannot be written, a failure later falls back to asking Graph (by UPN and
   * employeeId), as it did before notes existed; the onboarding itself goes on.
   */
  async anotar(alumnoId: string, graphUserId: string, upn: string): Promise<void> {
    try {
      await this.db
        .getRepository(UsuarioCreadoEntity)
        .createQueryBuilder()
        .insert()
        .values({ alumnoId, graphUserId, upn })
        .orIgnore()
        .execute();
    } catch (err) {
      this.log.warn(`could not note the Graph user ${graphUserId} created for ${alumnoId}: ${(err as Error).message}`);
    }
  }

  /** The newest user noted for the student since `desde`, or null. */
  async ultimoDesde(m: EntityManager, alumnoId: string, desde: string): Promise<UsuarioCreadoEntity | null> {
    return m
      .getRepository(UsuarioCreadoEntity)
      .findOne({ where: { alumnoId, createdAt: MoreThanOrEqual(new Date(desde)) }, order: { createdAt: 'DESC' } });
  }

  /** The cuenta row records the user now (created or failed): the notes have done their job. */
  async olvidar(m: EntityManager, alumnoId: string): Promise<void> {
    await m.getRepository(UsuarioCreadoEntity).delete({ alumnoId });
  }
}
