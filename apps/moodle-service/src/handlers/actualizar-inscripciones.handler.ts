import { Logger } from '@nestjs/common';
import { ActualizarInscripciones, InscripcionesActualizacionFallida, InscripcionesActualizadas } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { CambioDeCursosService } from '../enrolamiento/cambio-de-cursos.service.js';
import { reportingFailure } from '../enrolamiento/fallo.js';

@Handler(ActualizarInscripciones)
export class ActualizarInscripcionesHandler {
  private readonly log = new Logger(ActualizarInscripcionesHandler.name);

  constructor(private readonly cambio: CambioDeCursosService) {}

  // A new estado or periodo: the student's courses follow it.
  async handle(comando: ActualizarInscripciones, ctx: MessageContext) {
    const fallo = await reportingFailure(
      ctx,
      async () => ctx.publish(InscripcionesActualizadas, await this.cambio.actualizar(ctx.manager, comando)),
      (f) => ctx.publish(InscripcionesActualizacionFallida, { alumnoId: comando.alumnoId, ...f }),
    );
    if (fallo) this.log.warn({ alumnoId: comando.alumnoId, ...fallo }, 'Moodle course change failed');
  }
}
