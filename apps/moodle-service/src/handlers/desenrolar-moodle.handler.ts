import { Logger } from '@nestjs/common';
import { DesenrolarMoodle, MoodleDesenrolado, MoodleDesenrolamientoFallido } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { DesenrolamientoService } from '../enrolamiento/desenrolamiento.service.js';
import { reportingFailure } from '../enrolamiento/fallo.js';

@Handler(DesenrolarMoodle)
export class DesenrolarMoodleHandler {
  private readonly log = new Logger(DesenrolarMoodleHandler.name);

  constructor(private readonly desenrolamiento: DesenrolamientoService) {}

  // Compensation: take the student out of the courses Lucy put them in (or the ones named).
  async handle(comando: DesenrolarMoodle, ctx: MessageContext) {
    const fallo = await reportingFailure(
      ctx,
      async () => ctx.publish(MoodleDesenrolado, await this.desenrolamiento.desenrolar(ctx.manager, comando)),
      (f) => ctx.publish(MoodleDesenrolamientoFallido, { alumnoId: comando.alumnoId, ...f }),
    );
    if (fallo) this.log.warn({ alumnoId: comando.alumnoId, ...fallo }, 'Moodle unenrolment failed');
  }
}
