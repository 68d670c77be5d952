import { ActualizarInscripciones, InscripcionesActualizacionFallida, InscripcionesActualizadas } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { CambioDeCursosService } from '../enrolamiento/cambio-de-cursos.service.js';

// Failing for good (or on its last attempt) it answers InscripcionesActualizacionFallida, with whatever it recorded before.
@Handler(ActualizarInscripciones, {
  onFailure: { event: InscripcionesActualizacionFallida, payload: (c, fallo) => ({ alumnoId: c.alumnoId, ...fallo }) },
})
export class ActualizarInscripcionesHandler {
  constructor(private readonly cambio: CambioDeCursosService) {}

  // A new estado or periodo: the student's courses follow it.
  async handle(comando: ActualizarInscripciones, ctx: MessageContext) {
    ctx.publish(InscripcionesActualizadas, await this.cambio.actualizar(ctx.manager, comando));
  }
}
