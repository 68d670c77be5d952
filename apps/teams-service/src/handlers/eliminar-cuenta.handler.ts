import { CuentaTeamsEliminacionFallida, CuentaTeamsEliminada, EliminarCuentaTeams } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { destinoDe } from '../cuentas/destino.js';
import { falloReportable } from '../cuentas/fallo.js';
import { puedeSerDemoraDeReplicacion } from '../domain/cuenta.js';
import { GraphClient } from '../graph/graph.client.js';
import { bloquearCuenta, guardarCuenta } from '../persistence/cuenta.repository.js';

/** Undo of the account: Graph's soft delete (restorable for 30 days). Already gone counts as done. */
@Handler(EliminarCuentaTeams)
export class EliminarCuentaHandler {
  constructor(private readonly graph: GraphClient) {}

  async handle(cmd: EliminarCuentaTeams, ctx: MessageContext) {
    try {
      const cuenta = await bloquearCuenta(ctx.manager, cmd.alumnoId);
      // A 404 for an account we recorded moments ago may be replication lag: retried, not taken as gone.
      const existia = await this.graph.deleteUser(destinoDe(cmd, cuenta), { justWritten: puedeSerDemoraDeReplicacion(cuenta) });
      if (cuenta) await guardarCuenta(ctx.manager, Object.assign(cuenta, { estado: 'eliminada' as const, ultimoError: null }));
      ctx.publish(CuentaTeamsEliminada, { alumnoId: cmd.alumnoId, upn: cmd.upn, graphUserId: cmd.graphUserId ?? cuenta?.graphUserId ?? null, yaNoExistia: !existia });
    } catch (err) {
      const fallo = falloReportable(err, ctx);
      if (!fallo) throw err;
      ctx.publish(CuentaTeamsEliminacionFallida, { alumnoId: cmd.alumnoId, upn: cmd.upn, ...fallo });
    }
  }
}
