import { Logger } from '@nestjs/common';
import { ActualizarUsuarioMoodle, UsuarioMoodleActualizacionFallida, UsuarioMoodleActualizado } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { ActualizacionUsuarioService } from '../enrolamiento/actualizacion-usuario.service.js';
import { reportingFailure } from '../enrolamiento/fallo.js';

@Handler(ActualizarUsuarioMoodle)
export class ActualizarUsuarioMoodleHandler {
  private readonly log = new Logger(ActualizarUsuarioMoodleHandler.name);

  constructor(private readonly actualizacion: ActualizacionUsuarioService) {}

  // The student's data changed, or they leave or come back: their Moodle user follows.
  async handle(comando: ActualizarUsuarioMoodle, ctx: MessageContext) {
    const fallo = await reportingFailure(
      ctx,
      async () => ctx.publish(UsuarioMoodleActualizado, await this.actualizacion.actualizar(ctx.manager, comando)),
      (f) => ctx.publish(UsuarioMoodleActualizacionFallida, { alumnoId: comando.alumnoId, ...f }),
    );
    if (fallo) this.log.warn({ alumnoId: comando.alumnoId, ...fallo }, 'Moodle user update failed');
  }
}
