import { CuentaTeamsCreada, MoodleEnrolado, MoodleFallido } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { EnrolamientoService } from '../enrolamiento/enrolamiento.service.js';

// Failing for good (or on its last attempt) it answers MoodleFallido, with whatever it recorded before.
@Handler(CuentaTeamsCreada, {
  onFailure: { event: MoodleFallido, payload: (e, fallo) => ({ alumnoId: e.alumnoId, ...fallo }) },
})
export class CuentaTeamsCreadaHandler {
  constructor(private readonly enrolamiento: EnrolamientoService) {}

  // The student has a Microsoft account: give them their Moodle user and courses, once.
  // (The sealed credential is for mail-service; this service never opens it.)
  async handle(evento: CuentaTeamsCreada, ctx: MessageContext) {
    const { alumnoId, upn, alumno } = evento;
    ctx.publish(MoodleEnrolado, await this.enrolamiento.enrolar(ctx.manager, { alumnoId, upn, alumno }));
  }
}
