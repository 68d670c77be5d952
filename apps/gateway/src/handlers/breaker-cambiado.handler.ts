import { BreakerCambiado } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { BreakerService } from '../breakers/breaker.service.js';

/** A service's breaker opened, closed or was reset: remember its last known state. */
@Handler(BreakerCambiado)
export class BreakerCambiadoHandler {
  constructor(private readonly breakers: BreakerService) {}

  handle(evento: BreakerCambiado, ctx: MessageContext) {
    return this.breakers.registrarCambio(ctx.manager, evento);
  }
}
