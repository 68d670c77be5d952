import { PasswordRestablecida, RestablecerPassword, RestablecimientoPasswordFallido } from '@lucy/contracts';
import { Handler, type OwnTransactionContext } from '@lucy/messaging';
import { Credenciales } from '../cuentas/credenciales.js';
import { cuentaInexistente, destinoDe } from '../cuentas/destino.js';
import { puedeSerDemoraDeReplicacion } from '../domain/cuenta.js';
import { GraphClient } from '../graph/graph.client.js';
import { CuentaRepository } from '../persistence/cuenta.repository.js';

/**
 * New credentials were asked for: a new temporary password, sealed for mail-service, with the next
 * version. Graph is called outside any transaction, the student's deliveries taking turns on their lease.
 */
@Handler(RestablecerPassword, {
  transaction: 'own',
  lease: (c) => c.alumnoId,
  onFailure: {
    event: RestablecimientoPasswordFallido,
    payload: (c, fallo) => ({ alumnoId: c.alumnoId, upn: c.upn, ...fallo }),
  },
})
export class RestablecerPasswordHandler {
  constructor(
    private readonly graph: GraphClient,
    private readonly credenciales: Credenciales,
    private readonly cuentas: CuentaRepository,
  ) {}

  async handle(cmd: RestablecerPassword, ctx: OwnTransactionContext) {
    const cuenta = await ctx.transaction((m) => this.cuentas.leer(m, cmd.alumnoId));
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
    await ctx.commit(async (m) => {
      const r = cuenta ?? (await this.cuentas.reservar(m, cmd.alumnoId, cmd.upn.toLowerCase()));
      Object.assign(r, {
        estado: r.estado === 'pendiente' ? ('activa' as const) : r.estado,
        graphUserId: user.id,
        credencialVersion: r.credencialVersion + 1,
        ultimoError: null,
      });
      await this.cuentas.guardar(m, r);
      ctx.publish(PasswordRestablecida, {
        alumnoId: cmd.alumnoId,
        upn: cmd.upn,
        graphUserId: user.id,
        credencial: credencial.sellada,
        credencialVersion: r.credencialVersion,
        alumno: cmd.alumno,
      });
    });
  }
}
