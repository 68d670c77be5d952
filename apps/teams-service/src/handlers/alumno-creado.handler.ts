import { AlumnoCreado, CuentaTeamsFallida } from '@lucy/contracts';
import { Handler, type OwnTransactionContext } from '@lucy/messaging';
import { AprovisionarCuenta } from '../cuentas/aprovisionar-cuenta.service.js';

/**
 * A student was registered: give them an account, once. Graph is called outside any transaction, the
 * student's deliveries taking turns on their lease (every handler of this service leases the alumnoId).
 */
@Handler(AlumnoCreado, {
  transaction: 'own',
  lease: (e) => e.alumnoId,
  // The UPN, and what the attempt left in Entra, come from the attempt itself (AprovisionarCuenta's ctx.onFailure).
  onFailure: { event: CuentaTeamsFallida, payload: (e, fallo) => ({ alumnoId: e.alumnoId, upn: null, ...fallo }) },
})
export class AlumnoCreadoHandler {
  constructor(private readonly aprovisionar: AprovisionarCuenta) {}

  handle(evento: AlumnoCreado, ctx: OwnTransactionContext) {
    return this.aprovisionar.ejecutar(evento, ctx);
  }
}
