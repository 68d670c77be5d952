import { Logger } from '@nestjs/common';
import { CuentaTeamsCreada, MoodleEnrolado, MoodleFallido } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { EnrolamientoService } from '../enrolamiento/enrolamiento.service.js';
import { reportingFailure } from '../enrolamiento/fallo.js';

@Handler(CuentaTeamsCreada)
export class CuentaTeamsCreadaHandler {
  private readonly log = new Logger(CuentaTeamsCreadaHandler.name);

  constructor(private readonly enrolamiento: EnrolamientoService) {}

  // The student has a Microsoft account: give them their Moodle user and courses, once.
  // (The sealed credential is for mail-service; this service never opens it.)
  async handle(evento: CuentaTeamsCreada, ctx: MessageContext) {
    const fallo = await reportingFailure(
      ctx,
      async () =>
        ctx.publish(
          MoodleEnrolado,
          await this.enrolamiento.enrolar(ctx.manager, {
            alumnoId: evento.alumnoId,
            upn: evento.upn,
            alumno: evento.alumno,
          }),
        ),
      (f) => ctx.publish(MoodleFallido, { alumnoId: evento.alumnoId, ...f }),
    );
    if (fallo) this.log.warn({ alumnoId: evento.alumnoId, ...fallo }, 'Moodle enrolment failed');
  }
}
