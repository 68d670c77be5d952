import { AlumnoEnEspera } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { AprobacionService } from '../alumnos/aprobacion.service.js';

/** A new student waits for an operator's approval (or no longer does, having left first). */
@Handler(AlumnoEnEspera)
export class AlumnoEnEsperaHandler {
  constructor(private readonly aprobaciones: AprobacionService) {}

  handle(evento: AlumnoEnEspera, ctx: MessageContext) {
    return this.aprobaciones.onEnEspera(ctx.manager, evento, ctx);
  }
}
