import { DesenrolarMoodle, MoodleDesenrolado, MoodleDesenrolamientoFallido } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { DesenrolamientoService } from '../enrolamiento/desenrolamiento.service.js';

// Failing for good (or on its last attempt) it answers MoodleDesenrolamientoFallido, with whatever it recorded before.
@Handler(DesenrolarMoodle, {
  onFailure: { event: MoodleDesenrolamientoFallido, payload: (c, fallo) => ({ alumnoId: c.alumnoId, ...fallo }) },
})
export class DesenrolarMoodleHandler {
  constructor(private readonly desenrolamiento: DesenrolamientoService) {}

  // Compensation: take the student out of the courses Lucy put them in (or the ones named).
  async handle(comando: DesenrolarMoodle, ctx: MessageContext) {
    ctx.publish(MoodleDesenrolado, await this.desenrolamiento.desenrolar(ctx.manager, comando));
  }
}
