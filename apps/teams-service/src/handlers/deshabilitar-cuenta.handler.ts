import { CuentaTeamsDeshabilitacionFallida, CuentaTeamsDeshabilitada, DeshabilitarCuentaTeams } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { cuentaInexistente, destinoDe } from '../cuentas/destino.js';
import { reportableFailure } from '../cuentas/fallo.js';
import { puedeSerDemoraDeReplicacion } from '../domain/cuenta.js';
import { GraphClient } from '../graph/graph.client.js';
import { bloquearCuenta, guardarCuenta } from '../persistence/cuenta.repository.js';

/** The account must stop signing in (kept, restorable by enabling it): accountEnabled false. */
@Handler(DeshabilitarCuentaTeams)
export class DeshabilitarCuentaHandler {
  constructor(private readonly graph: GraphClient) {}

  async handle(cmd: DeshabilitarCuentaTeams, ctx: MessageContext) {
    try {
      const cuenta = await bloquearCuenta(ctx.manager, cmd.alumnoId);
      const opts = { justWritten: puedeSerDemoraDeReplicacion(cuenta) };
      const destino = destinoDe(cmd, cuenta);
      const user = await this.graph.findUser(destino, opts);
      if (!user) throw cuentaInexistente(destino);
      await this.graph.updateUser(user.id, { accountEnabled: false }, opts);
      if (cuenta)
        await guardarCuenta(
          ctx.manager,
          Object.assign(cuenta, { estado: 'deshabilitada' as const, graphUserId: user.id, ultimoError: null }),
        );
      ctx.publish(CuentaTeamsDeshabilitada, { alumnoId: cmd.alumnoId, upn: cmd.upn, graphUserId: user.id });
    } catch (err) {
      const fallo = reportableFailure(err, ctx);
      if (!fallo) throw err;
      ctx.publish(CuentaTeamsDeshabilitacionFallida, { alumnoId: cmd.alumnoId, upn: cmd.upn, ...fallo });
    }
  }
}
