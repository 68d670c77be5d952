import { CuentaTeamsHabilitacionFallida, CuentaTeamsHabilitada, HabilitarCuentaTeams } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { HabilitarCuenta } from '../cuentas/habilitar-cuenta.js';
import { reportableFailure } from '../cuentas/fallo.js';
import { bloquearCuenta, guardarCuenta } from '../persistence/cuenta.repository.js';

/** A returning student signs in again: enabled, restored from deleted items first if it was deleted. */
@Handler(HabilitarCuentaTeams)
export class HabilitarCuentaHandler {
  constructor(private readonly habilitar: HabilitarCuenta) {}

  async handle(cmd: HabilitarCuentaTeams, ctx: MessageContext) {
    try {
      const cuenta = await bloquearCuenta(ctx.manager, cmd.alumnoId);
      const hecho = await this.habilitar.ejecutar(cmd, cuenta);
      if (cuenta)
        await guardarCuenta(
          ctx.manager,
          Object.assign(cuenta, { estado: 'activa' as const, graphUserId: hecho.graphUserId, ultimoError: null }),
        );
      ctx.publish(CuentaTeamsHabilitada, { alumnoId: cmd.alumnoId, upn: cmd.upn, ...hecho });
    } catch (err) {
      const fallo = reportableFailure(err, ctx);
      if (!fallo) throw err;
      ctx.publish(CuentaTeamsHabilitacionFallida, { alumnoId: cmd.alumnoId, upn: cmd.upn, ...fallo });
    }
  }
}
