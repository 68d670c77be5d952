// HabilitarCuentaTeams: a returning student signs in again. A live user is enabled; one deleted within
// Entra's 30 days is restored from deleted items first — the same object, so the same id and UPN, with
// its properties and the licences it had (a deletion frees them, a restore counts them again). Either
// way an account left with no licence gets the configured one (runtime key licenciaSku); one that has a
// licence keeps it, as onboarding does for an account it delivered before. Neither live nor restorable
// (purged, or deleted longer ago): a permanent cuenta-inexistente, and the student is onboarded again.
import { Injectable } from '@nestjs/common';
import type { HabilitarCuentaTeams } from '@lucy/contracts';
import { TransientError } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import { RuntimeConfig } from '@lucy/runtime-config';
import type { TeamsConfig } from '../config.js';
import type { RuntimeKey } from '../runtime-keys.js';
import { puedeSerDemoraDeReplicacion } from '../domain/cuenta.js';
import { GraphClient, type GraphUser } from '../graph/graph.client.js';
import type { CuentaEntity } from '../persistence/cuenta.entity.js';
import { cuentaInexistente, destinoDe, idDe } from './destino.js';

export interface Habilitacion {
  graphUserId: string;
  /** The account came back from deleted items. */
  restaurada: boolean;
}

@Injectable()
export class HabilitarCuenta {
  constructor(
    private readonly graph: GraphClient,
    private readonly runtime: RuntimeConfig<RuntimeKey>,
    @InjectConfig() private readonly config: TeamsConfig,
  ) {}

  async ejecutar(cmd: HabilitarCuentaTeams, cuenta: CuentaEntity | null): Promise<Habilitacion> {
    let opts = { justWritten: puedeSerDemoraDeReplicacion(cuenta) };
    let user = await this.graph.findUser(destinoDe(cmd, cuenta), opts);
    // Live although we recorded it deleted: an earlier attempt restored it and failed after (or an admin did).
    let restaurada = !!user && cuenta?.estado === 'eliminada';
    if (!user) {
      user = await this.restaurar(cmd, cuenta);
      restaurada = true;
      opts = { justWritten: true };
    }
    // The licence before the sign-in: a licence refused for good leaves the account as it was, disabled.
    if (!user.assignedLicenses?.length) {
      if (!user.usageLocation) {
        await this.graph.updateUser(user.id, { usageLocation: this.config.USAGE_LOCATION }, opts);
        opts = { justWritten: true };
      }
      await this.graph.assignLicense(user.id, this.runtime.get('licenciaSku').toLowerCase(), opts);
    }
    if (user.accountEnabled !== true) await this.graph.updateUser(user.id, { accountEnabled: true }, opts);
    return { graphUserId: user.id, restaurada };
  }

  private async restaurar(cmd: HabilitarCuentaTeams, cuenta: CuentaEntity | null): Promise<GraphUser> {
    const id = idDe(cmd, cuenta);
    // Deleted items are keyed by object id: Entra rewrites a deleted user's UPN, so the UPN cannot find it there.
    if (!id) throw cuentaInexistente(cmd.upn, 'no live account, and no object id to look for it in deleted items');
    if (!(await this.graph.restoreDeletedUser(id)))
      throw cuentaInexistente(id, 'not live nor in deleted items (purged, or deleted over 30 days ago)');
    // Just restored: a read may lag behind it for a few seconds (a 404 is retried, not taken as absence).
    const user = await this.graph.findUser(id, { justWritten: true });
    if (!user) throw new TransientError(`the user ${id} was restored but cannot be read yet`, 'graph-replication');
    return user;
  }
}
