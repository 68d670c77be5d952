import { EnrolarMoodle, MoodleEnrolado, MoodleFallido } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { EnrolamientoService } from '../enrolamiento/enrolamiento.service.js';

// Failing for good (or on its last attempt) it answers MoodleFallido, with whatever it recorded before.
@Handler(EnrolarMoodle, {
  onFailure: { event: MoodleFallido, payload: (c, fallo) => ({ alumnoId: c.alumnoId, ...fallo }) },
})
export class EnrolarMoodleHandler {
  constructor(private readonly enrolamiento: EnrolamientoService) {}

  // An operator's retry, or courses added later: enrol again; what is already there stays as it is.
  async handle(comando: EnrolarMoodle, ctx: MessageContext) {
    ctx.publish(MoodleEnrolado, await this.enrolamiento.enrolar(ctx.manager, comando));
  }
}
