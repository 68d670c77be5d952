import { PermanentError } from '@lucy/messaging';
import type { CuentaEntity } from '../persistence/cuenta.entity.js';

/** Which Graph user a command means: the id it carries, else the one we recorded, else its UPN. */
export const destinoDe = (cmd: { graphUserId: string | null; upn: string }, cuenta: CuentaEntity | null): string =>
  cmd.graphUserId ?? cuenta?.graphUserId ?? cmd.upn;

export const cuentaInexistente = (destino: string) =>
  new PermanentError(`there is no Graph user ${destino}`, 'cuenta-inexistente');
