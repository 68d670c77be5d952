import { RetencionFallida } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { RetencionService } from '../retencion/retencion.service.js';

/** A service could not purge: the run ends fallida, with its reason. */
@Handler(RetencionFallida)
export class RetencionFallidaHandler {
  constructor(private readonly retencion: RetencionService) {}

  handle(evento: RetencionFallida, ctx: MessageContext) {
    return this.retencion.registrar(ctx.manager, evento.ejecucionId, evento.servicio, {
      estado: 'fallida',
      motivo: evento.motivo,
      ...(evento.codigo ? { codigo: evento.codigo } : {}),
      at: ctx.envelope.occurredAt,
    });
  }
}
