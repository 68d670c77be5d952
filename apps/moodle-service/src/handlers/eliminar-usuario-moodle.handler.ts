import { EliminarUsuarioMoodle, UsuarioMoodleEliminacionFallida, UsuarioMoodleEliminado } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { EliminacionUsuarioService } from '../enrolamiento/eliminacion-usuario.service.js';

// Failing for good (or on its last attempt) it answers UsuarioMoodleEliminacionFallida.
@Handler(EliminarUsuarioMoodle, {
  onFailure: { event: UsuarioMoodleEliminacionFallida, payload: (c, fallo) => ({ alumnoId: c.alumnoId, ...fallo }) },
})
export class EliminarUsuarioMoodleHandler {
  constructor(private readonly eliminacion: EliminacionUsuarioService) {}

  // A leaver's grace is over and the configuration says so: their Moodle user is deleted with their account.
  async handle(comando: EliminarUsuarioMoodle, ctx: MessageContext) {
    ctx.publish(UsuarioMoodleEliminado, await this.eliminacion.eliminar(ctx.manager, comando));
  }
}
