import { AprobarAlumno } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { LiberacionService } from '../liberacion/liberacion.service.js';

@Handler(AprobarAlumno)
export class AprobarAlumnoHandler {
  constructor(private readonly liberacion: LiberacionService) {}

  // An operator approved a new student who waited: they take their turn in their lote's window.
  async handle(cmd: AprobarAlumno, ctx: MessageContext) {
    await this.liberacion.aprobar(ctx.manager, cmd.alumnoId, ctx.publish.bind(ctx));
  }
}
