import { CUENTA_INEXISTENTE } from '@lucy/contracts';
import { PermanentError } from '@lucy/messaging';
import type { CuentaEntity } from '../persistence/cuenta.entity.js';

/** Which Graph user a command means: the id it carries, else the one we recorded, else its UPN. */
export const destinoDe = (cmd: { graphUserId: string | null; upn: string }, cuenta: CuentaEntity | null): string =>
  cmd.graphUserId ?? cuenta?.graphUserId ?? cmd.upn;

/** The object id a command means, when one is known: deleted items are keyed by id only. */
export const idDe = (cmd: { graphUserId: string | null }, cuenta: CuentaEntity | null): string | null =>
  cmd.graphUserId ?? cuenta?.graphUserId ?? null;

export const cuentaInexistente = (destino: string, nota?: string) =>
  new PermanentError(`there is no Graph user ${destino}${nota ? `: ${nota}` : ''}`, CUENTA_INEXISTENTE);
