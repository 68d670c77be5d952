import { AlumnoCreado } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { AprovisionarCuenta } from '../cuentas/aprovisionar-cuenta.service.js';

/** A student was registered: give them an account, once. */
@Handler(AlumnoCreado)
export class AlumnoCreadoHandler {
  constructor(private readonly aprovisionar: AprovisionarCuenta) {}

  handle(evento: AlumnoCreado, ctx: MessageContext) {
    return this.aprovisionar.ejecutar(evento, ctx);
  }
}
