import { Logger } from '@nestjs/common';
import { CursosInscriptos, InscribirCursos, InscripcionFallida } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { EnrolamientoService } from '../enrolamiento/enrolamiento.service.js';
import { reportingFailure } from '../enrolamiento/fallo.js';

@Handler(InscribirCursos)
export class InscribirCursosHandler {
  private readonly log = new Logger(InscribirCursosHandler.name);

  constructor(private readonly enrolamiento: EnrolamientoService) {}

  // An operator's chosen courses: the student is enrolled in all of them, or in none.
  async handle(comando: InscribirCursos, ctx: MessageContext) {
    const fallo = await reportingFailure(
      ctx,
      async () => ctx.publish(CursosInscriptos, await this.enrolamiento.enrolarTodos(ctx.manager, comando)),
      (f) => ctx.publish(InscripcionFallida, { alumnoId: comando.alumnoId, ...f }),
    );
    if (fallo) this.log.warn({ alumnoId: comando.alumnoId, ...fallo }, 'Moodle enrolment in chosen courses failed');
  }
}
