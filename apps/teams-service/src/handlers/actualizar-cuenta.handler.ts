import { ActualizarCuentaTeams, CuentaTeamsActualizacionFallida, CuentaTeamsActualizada } from '@lucy/contracts';
import { Handler, type OwnTransactionContext } from '@lucy/messaging';
import { ActualizarCuenta } from '../cuentas/actualizar-cuenta.js';
import { CuentaRepository } from '../persistence/cuenta.repository.js';

/**
 * The student's data changed: their Entra user follows it (never its UPN, only suggested). Graph is
 * called outside any transaction, the student's deliveries taking turns on their lease.
 */
@Handler(ActualizarCuentaTeams, {
  transaction: 'own',
  lease: (c) => c.alumnoId,
  onFailure: {
    event: CuentaTeamsActualizacionFallida,
    payload: (c, fallo) => ({ alumnoId: c.alumnoId, upn: c.upn, ...fallo }),
  },
})
export class ActualizarCuentaHandler {
  constructor(
    private readonly actualizar: ActualizarCuenta,
    private readonly cuentas: CuentaRepository,
  ) {}

  async handle(cmd: ActualizarCuentaTeams, ctx: OwnTransactionContext) {
    const cuenta = await ctx.transaction((m) => this.cuentas.leer(m, cmd.alumnoId));
    const hecho = await this.actualizar.ejecutar(cmd, cuenta);
    ctx.publish(CuentaTeamsActualizada, { alumnoId: cmd.alumnoId, upn: cmd.upn, ...hecho });
  }
}
