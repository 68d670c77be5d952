import {
  CUENTA_ADOPTADA,
  CuentaTeamsEliminacionFallida,
  CuentaTeamsEliminada,
  EliminarCuentaTeams,
} from '@lucy/contracts';
import { Handler, type OwnTransactionContext } from '@lucy/messaging';
import { destinoDe } from '../cuentas/destino.js';
import { puedeSerDemoraDeReplicacion } from '../domain/cuenta.js';
import { GraphClient } from '../graph/graph.client.js';
import { CuentaRepository } from '../persistence/cuenta.repository.js';

/**
 * Undo of the account: Graph's soft delete (restorable for 30 days). Already gone counts as done. Graph
 * is called outside any transaction, the student's deliveries taking turns on their lease.
 */
@Handler(EliminarCuentaTeams, {
  transaction: 'own',
  lease: (c) => c.alumnoId,
  onFailure: {
    event: CuentaTeamsEliminacionFallida,
    payload: (c, fallo) => ({ alumnoId: c.alumnoId, upn: c.upn, ...fallo }),
  },
})
export class EliminarCuentaHandler {
  constructor(
    private readonly graph: GraphClient,
    private readonly cuentas: CuentaRepository,
  ) {}

  async handle(cmd: EliminarCuentaTeams, ctx: OwnTransactionContext) {
    const cuenta = await ctx.transaction((m) => this.cuentas.leer(m, cmd.alumnoId));
    // The undo of what a failed onboarding left, overtaken by a later onboarding that adopted the account
    // (the row says so, read under the student's lease): the student uses it now, so it stays.
    if (
      cmd.dejadaPorFallo &&
      cuenta &&
      (cuenta.estado === 'activa' || cuenta.estado === 'deshabilitada') &&
      (!cmd.graphUserId || cmd.graphUserId === cuenta.graphUserId)
    ) {
      ctx.publish(CuentaTeamsEliminacionFallida, {
        alumnoId: cmd.alumnoId,
        upn: cmd.upn,
        motivo: `the account is ${cuenta.estado} again (a later onboarding took it): not deleted`,
        codigo: CUENTA_ADOPTADA,
        permanente: true,
      });
      return;
    }
    // A 404 for an account we recorded moments ago may be replication lag: retried, not taken as gone.
    const existia = await this.graph.deleteUser(destinoDe(cmd, cuenta), {
      justWritten: puedeSerDemoraDeReplicacion(cuenta),
    });
    ctx.publish(CuentaTeamsEliminada, {
      alumnoId: cmd.alumnoId,
      upn: cmd.upn,
      graphUserId: cmd.graphUserId ?? cuenta?.graphUserId ?? null,
      yaNoExistia: !existia,
    });
    await ctx.commit(async (m) => {
      if (cuenta)
        await this.cuentas.guardar(m, Object.assign(cuenta, { estado: 'eliminada' as const, ultimoError: null }));
    });
  }
}
