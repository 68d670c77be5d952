import { CursosInscriptos, InscribirCursos, InscripcionFallida } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { EnrolamientoService } from '../enrolamiento/enrolamiento.service.js';

// Failing for good (or on its last attempt) it answers InscripcionFallida, with whatever it recorded before.
@Handler(InscribirCursos, {
  onFailure: { event: InscripcionFallida, payload: (c, fallo) => ({ alumnoId: c.alumnoId, ...fallo }) },
})
export class InscribirCursosHandler {
  constructor(private readonly enrolamiento: EnrolamientoService) {}

  // An operator's chosen courses: the student is enrolled in all of them, or in none.
  async handle(comando: InscribirCursos, ctx: MessageContext) {
    ctx.publish(CursosInscriptos, await this.enrolamiento.enrolarTodos(ctx.manager, comando));
  }
}
