import { RetencionAplicada } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { RetencionService } from '../retencion/retencion.service.js';

/** A service purged (or counted) what it owns: its part of the run's report. */
@Handler(RetencionAplicada)
export class RetencionAplicadaHandler {
  constructor(private readonly retencion: RetencionService) {}

  handle(evento: RetencionAplicada, ctx: MessageContext) {
    return this.retencion.registrar(ctx.manager, evento.ejecucionId, evento.servicio, {
      estado: 'aplicada',
      purgados: evento.purgados,
      at: ctx.envelope.occurredAt,
    });
  }
}
