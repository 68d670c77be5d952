import { CuentaTeamsHabilitacionFallida, CuentaTeamsHabilitada, HabilitarCuentaTeams } from '@lucy/contracts';
import { Handler, type OwnTransactionContext } from '@lucy/messaging';
import { HabilitarCuenta } from '../cuentas/habilitar-cuenta.js';
import { CuentaRepository } from '../persistence/cuenta.repository.js';

/**
 * A returning student signs in again: enabled, restored from deleted items first if it was deleted.
 * Graph is called outside any transaction, the student's deliveries taking turns on their lease.
 */
@Handler(HabilitarCuentaTeams, {
  transaction: 'own',
  lease: (c) => c.alumnoId,
  onFailure: {
    event: CuentaTeamsHabilitacionFallida,
    payload: (c, fallo) => ({ alumnoId: c.alumnoId, upn: c.upn, ...fallo }),
  },
})
export class HabilitarCuentaHandler {
  constructor(
    private readonly habilitar: HabilitarCuenta,
    private readonly cuentas: CuentaRepository,
  ) {}

  async handle(cmd: HabilitarCuentaTeams, ctx: OwnTransactionContext) {
    const cuenta = await ctx.transaction((m) => this.cuentas.leer(m, cmd.alumnoId));
    const hecho = await this.habilitar.ejecutar(cmd, cuenta);
    ctx.publish(CuentaTeamsHabilitada, { alumnoId: cmd.alumnoId, upn: cmd.upn, ...hecho });
    await ctx.commit(async (m) => {
      if (cuenta)
        await this.cuentas.guardar(
          m,
          Object.assign(cuenta, { estado: 'activa' as const, graphUserId: hecho.graphUserId, ultimoError: null }),
        );
    });
  }
}
