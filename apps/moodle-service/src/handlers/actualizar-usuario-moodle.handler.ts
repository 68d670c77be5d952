import { ActualizarUsuarioMoodle, UsuarioMoodleActualizacionFallida, UsuarioMoodleActualizado } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { ActualizacionUsuarioService } from '../enrolamiento/actualizacion-usuario.service.js';

// Failing for good (or on its last attempt) it answers UsuarioMoodleActualizacionFallida, with whatever it recorded before.
@Handler(ActualizarUsuarioMoodle, {
  onFailure: { event: UsuarioMoodleActualizacionFallida, payload: (c, fallo) => ({ alumnoId: c.alumnoId, ...fallo }) },
})
export class ActualizarUsuarioMoodleHandler {
  constructor(private readonly actualizacion: ActualizacionUsuarioService) {}

  // The student's data changed, or they leave or come back: their Moodle user follows.
  async handle(comando: ActualizarUsuarioMoodle, ctx: MessageContext) {
    ctx.publish(UsuarioMoodleActualizado, await this.actualizacion.actualizar(ctx.manager, comando));
  }
}
