import { PasswordRestablecida, RestablecerPassword, RestablecimientoPasswordFallido } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { Credenciales } from '../cuentas/credenciales.js';
import { cuentaInexistente, destinoDe } from '../cuentas/destino.js';
import { reportableFailure } from '../cuentas/fallo.js';
import { puedeSerDemoraDeReplicacion } from '../domain/cuenta.js';
import { GraphClient } from '../graph/graph.client.js';
import { bloquearCuenta, guardarCuenta, reservarCuenta } from '../persistence/cuenta.repository.js';

/** New credentials were asked for: a new temporary password, sealed for mail-service, with the next version. */
@Handler(RestablecerPassword)
export class RestablecerPasswordHandler {
  constructor(
    private readonly graph: GraphClient,
    private readonly credenciales: Credenciales,
  ) {}

  async handle(cmd: RestablecerPassword, ctx: MessageContext) {
    try {
      const cuenta = await bloquearCuenta(ctx.manager, cmd.alumnoId);
      const opts = { justWritten: puedeSerDemoraDeReplicacion(cuenta) };
      const destino = destinoDe(cmd, cuenta);
      const user = await this.graph.findUser(destino, opts);
      if (!user) throw cuentaInexistente(destino);
      const credencial = this.credenciales.emitir(cmd.alumnoId);
      await this.graph.updateUser(
        user.id,
        { passwordProfile: { password: credencial.password, forceChangePasswordNextSignIn: true } },
        opts,
      );
      // Versions must keep growing for mail-service to send each one: an account we had no row for starts one.
      const registro =
        cuenta ??
        Object.assign(await reservarCuenta(ctx.manager, cmd.alumnoId, cmd.upn.toLowerCase()), {
          estado: 'activa' as const,
        });
      Object.assign(registro, {
        graphUserId: user.id,
        credencialVersion: registro.credencialVersion + 1,
        ultimoError: null,
      });
      await guardarCuenta(ctx.manager, registro);
      ctx.publish(PasswordRestablecida, {
        alumnoId: cmd.alumnoId,
        upn: cmd.upn,
        graphUserId: user.id,
        credencial: credencial.sellada,
        credencialVersion: registro.credencialVersion,
        alumno: cmd.alumno,
      });
    } catch (err) {
      const fallo = reportableFailure(err, ctx);
      if (!fallo) throw err;
      ctx.publish(RestablecimientoPasswordFallido, { alumnoId: cmd.alumnoId, upn: cmd.upn, ...fallo });
    }
  }
}
