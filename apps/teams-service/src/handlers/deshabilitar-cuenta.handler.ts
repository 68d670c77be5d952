import { CuentaTeamsDeshabilitacionFallida, CuentaTeamsDeshabilitada, DeshabilitarCuentaTeams } from '@lucy/contracts';
import { Handler, type OwnTransactionContext } from '@lucy/messaging';
import { cuentaInexistente, destinoDe } from '../cuentas/destino.js';
import { puedeSerDemoraDeReplicacion } from '../domain/cuenta.js';
import { GraphClient } from '../graph/graph.client.js';
import { CuentaRepository } from '../persistence/cuenta.repository.js';

/**
 * The account must stop signing in (kept, restorable by enabling it): accountEnabled false. Graph is
 * called outside any transaction, the student's deliveries taking turns on their lease.
 */
@Handler(DeshabilitarCuentaTeams, {
  transaction: 'own',
  lease: (c) => c.alumnoId,
  onFailure: {
    event: CuentaTeamsDeshabilitacionFallida,
    payload: (c, fallo) => ({ alumnoId: c.alumnoId, upn: c.upn, ...fallo }),
  },
})
export class DeshabilitarCuentaHandler {
  constructor(
    private readonly graph: GraphClient,
    private readonly cuentas: CuentaRepository,
  ) {}

  async handle(cmd: DeshabilitarCuentaTeams, ctx: OwnTransactionContext) {
    const cuenta = await ctx.transaction((m) => this.cuentas.leer(m, cmd.alumnoId));
    const opts = { justWritten: puedeSerDemoraDeReplicacion(cuenta) };
    const destino = destinoDe(cmd, cuenta);
    const user = await this.graph.findUser(destino, opts);
    if (!user) throw cuentaInexistente(destino);
    await this.graph.updateUser(user.id, { accountEnabled: false }, opts);
    ctx.publish(CuentaTeamsDeshabilitada, { alumnoId: cmd.alumnoId, upn: cmd.upn, graphUserId: user.id });
    await ctx.commit(async (m) => {
      if (cuenta)
        await this.cuentas.guardar(
          m,
          Object.assign(cuenta, { estado: 'deshabilitada' as const, graphUserId: user.id, ultimoError: null }),
        );
    });
  }
}
