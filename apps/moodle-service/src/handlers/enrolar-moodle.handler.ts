import { Logger } from '@nestjs/common';
import { EnrolarMoodle, MoodleEnrolado, MoodleFallido } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { EnrolamientoService } from '../enrolamiento/enrolamiento.service.js';
import { reportingFailure } from '../enrolamiento/fallo.js';

@Handler(EnrolarMoodle)
export class EnrolarMoodleHandler {
  private readonly log = new Logger(EnrolarMoodleHandler.name);

  constructor(private readonly enrolamiento: EnrolamientoService) {}

  // An operator's retry, or courses added later: enrol again; what is already there stays as it is.
  async handle(comando: EnrolarMoodle, ctx: MessageContext) {
    const fallo = await reportingFailure(
      ctx,
      async () => ctx.publish(MoodleEnrolado, await this.enrolamiento.enrolar(ctx.manager, comando)),
      (f) => ctx.publish(MoodleFallido, { alumnoId: comando.alumnoId, ...f }),
    );
    if (fallo) this.log.warn({ alumnoId: comando.alumnoId, ...fallo }, 'Moodle enrolment failed');
  }
}
