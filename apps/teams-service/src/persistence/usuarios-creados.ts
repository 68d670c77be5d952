// The note of each Graph user an onboarding creates (usuario_creado). Committed at once, on its own, so it
// outlives an attempt whose last transaction never commits; read in a short transaction of the handler's,
// cleared in its last one.
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { UsuarioCreadoEntity } from './usuario-creado.entity.js';

@Injectable()
export class UsuariosCreados {
  private readonly log = new Logger(UsuariosCreados.name);

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
  async ultimoDesde(manager: EntityManager, alumnoId: string, desde: string): Promise<UsuarioCreadoEntity | null> {
    return manager
      .getRepository(UsuarioCreadoEntity)
      .findOne({ where: { alumnoId, createdAt: MoreThanOrEqual(new Date(desde)) }, order: { createdAt: 'DESC' } });
  }

  /** The cuenta row records the user now (created or failed): the notes have done their job. */
  async olvidar(manager: EntityManager, alumnoId: string): Promise<void> {
    await manager.getRepository(UsuarioCreadoEntity).delete({ alumnoId });
  }
}
