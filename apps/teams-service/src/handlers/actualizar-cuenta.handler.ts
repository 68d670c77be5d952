import { ActualizarCuentaTeams, CuentaTeamsActualizacionFallida, CuentaTeamsActualizada } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { ActualizarCuenta } from '../cuentas/actualizar-cuenta.js';
import { reportableFailure } from '../cuentas/fallo.js';
import { bloquearCuenta } from '../persistence/cuenta.repository.js';

/** The student's data changed: their Entra user follows it (never its UPN, only suggested). */
@Handler(ActualizarCuentaTeams)
export class ActualizarCuentaHandler {
  constructor(private readonly actualizar: ActualizarCuenta) {}

  async handle(cmd: ActualizarCuentaTeams, ctx: MessageContext) {
    try {
      const cuenta = await bloquearCuenta(ctx.manager, cmd.alumnoId);
      const hecho = await this.actualizar.ejecutar(cmd, cuenta);
      ctx.publish(CuentaTeamsActualizada, { alumnoId: cmd.alumnoId, upn: cmd.upn, ...hecho });
    } catch (err) {
      const fallo = reportableFailure(err, ctx);
      if (!fallo) throw err;
      ctx.publish(CuentaTeamsActualizacionFallida, { alumnoId: cmd.alumnoId, upn: cmd.upn, ...fallo });
    }
  }
}
