// The cuenta rows, read and written in the handlers' short transactions (the caller passes its
// EntityManager). Two deliveries for the same student (two replicas, two events) never work on a row at
// once: they take turns on the student's lease (the handlers' `lease`, libs/messaging own-transactions.ts),
// which holds no connection while a delivery waits for Graph.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PermanentError } from '@lucy/messaging';
import type { EntityManager } from 'typeorm';
import { CuentaEntity } from './cuenta.entity.js';

@Injectable()
export class CuentaRepository {
  /** The student's row; null when there is none. */
  leer(m: EntityManager, alumnoId: string): Promise<CuentaEntity | null> {
    return m.getRepository(CuentaEntity).findOneBy({ alumnoId });
  }

  /**
   * The student's row, created 'pendiente' if absent (its UPN reserved once the transaction
   * commits). A UPN that already belongs to another student is refused for good (two students may not share an account).
   */
  async reservar(m: EntityManager, alumnoId: string, upn: string): Promise<CuentaEntity> {
    await m
      .createQueryBuilder()
      .insert()
      .into(CuentaEntity)
      .values({
        id: randomUUID(),
        alumnoId,
        upn,
        graphUserId: null,
        estado: 'pendiente',
        creadaPorLucy: false,
        credencialVersion: 0,
        ultimoError: null,
      })
      .orIgnore()
      .execute();
    const cuenta = await this.leer(m, alumnoId);
    if (cuenta) return cuenta;
    const owner = await m.getRepository(CuentaEntity).findOneBy({ upn });
    throw new PermanentError(
      `the UPN ${upn} already belongs to student ${owner?.alumnoId ?? '(unknown)'}`,
      'upn-en-uso',
    );
  }

  /** Moves the row to another UPN (saved with the row); refused for good when another student's row holds it. */
  async cambiarUpn(m: EntityManager, cuenta: CuentaEntity, upn: string): Promise<void> {
    const owner = await m.getRepository(CuentaEntity).findOneBy({ upn });
    if (owner && owner.alumnoId !== cuenta.alumnoId)
      throw new PermanentError(`the UPN ${upn} already belongs to student ${owner.alumnoId}`, 'upn-en-uso');
    cuenta.upn = upn;
  }

  guardar(m: EntityManager, cuenta: CuentaEntity): Promise<CuentaEntity> {
    return m.getRepository(CuentaEntity).save(cuenta);
  }
}
