import { Logger } from '@nestjs/common';
import { EliminarUsuarioMoodle, UsuarioMoodleEliminacionFallida, UsuarioMoodleEliminado } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { EliminacionUsuarioService } from '../enrolamiento/eliminacion-usuario.service.js';
import { reportingFailure } from '../enrolamiento/fallo.js';

@Handler(EliminarUsuarioMoodle)
export class EliminarUsuarioMoodleHandler {
  private readonly log = new Logger(EliminarUsuarioMoodleHandler.name);

  constructor(private readonly eliminacion: EliminacionUsuarioService) {}

  // A leaver's grace is over and the configuration says so: their Moodle user is deleted with their account.
  async handle(comando: EliminarUsuarioMoodle, ctx: MessageContext) {
    const fallo = await reportingFailure(
      ctx,
      async () => ctx.publish(UsuarioMoodleEliminado, await this.eliminacion.eliminar(ctx.manager, comando)),
      (f) => ctx.publish(UsuarioMoodleEliminacionFallida, { alumnoId: comando.alumnoId, ...f }),
    );
    if (fallo) this.log.warn({ alumnoId: comando.alumnoId, ...fallo }, 'Moodle user deletion failed');
  }
}
