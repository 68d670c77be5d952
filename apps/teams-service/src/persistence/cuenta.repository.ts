// The cuenta rows, read and written in the handlers' short transactions. Two deliveries for the same
// student (two replicas, two events) never work on a row at once: they take turns on the student's
// lease (the handlers' `lease`, libs/messaging own-transactions.ts), which holds no connection while a
// delivery waits for Graph.
import { randomUUID } from 'node:crypto';
import { PermanentError } from '@lucy/messaging';
import type { EntityManager } from 'typeorm';
import { CuentaEntity } from './cuenta.entity.js';

/** The student's row; null when there is none. */
export function leerCuenta(manager: EntityManager, alumnoId: string): Promise<CuentaEntity | null> {
  return manager.getRepository(CuentaEntity).findOneBy({ alumnoId });
}

/**
 * The student's row, created 'pendiente' if absent (its UPN reserved once the transaction
 * commits). A UPN that already belongs to another student is refused for good (two students may not share an account).
 */
export async function reservarCuenta(manager: EntityManager, alumnoId: string, upn: string): Promise<CuentaEntity> {
  await manager
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
  const cuenta = await leerCuenta(manager, alumnoId);
  if (cuenta) return cuenta;
  const owner = await manager.getRepository(CuentaEntity).findOneBy({ upn });
  throw new PermanentError(`the UPN ${upn} already belongs to student ${owner?.alumnoId ?? '(unknown)'}`, 'upn-en-uso');
}

/** Moves the row to another UPN (saved with the row); refused for good when another student's row holds it. */
export async function cambiarUpn(manager: EntityManager, cuenta: CuentaEntity, upn: string): Promise<void> {
  const owner = await manager.getRepository(CuentaEntity).findOneBy({ upn });
  if (owner && owner.alumnoId !== cuenta.alumnoId)
    throw new PermanentError(`the UPN ${upn} already belongs to student ${owner.alumnoId}`, 'upn-en-uso');
  cuenta.upn = upn;
}

export function guardarCuenta(manager: EntityManager, cuenta: CuentaEntity): Promise<CuentaEntity> {
  return manager.getRepository(CuentaEntity).save(cuenta);
}
