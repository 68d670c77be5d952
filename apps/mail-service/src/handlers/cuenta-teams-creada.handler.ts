import { CuentaTeamsCreada } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { PLANTILLA_BIENVENIDA } from '../domain/envio.js';
import { EnviarCredenciales } from '../envio/enviar-credenciales.service.js';

@Handler(CuentaTeamsCreada)
export class CuentaTeamsCreadaHandler {
  constructor(private readonly enviarCredenciales: EnviarCredenciales) {}

  // The student has an account and a temporary password: email them how to sign in, once.
  async handle(evento: CuentaTeamsCreada, ctx: MessageContext): Promise<void> {
    const { alumnoId, upn, credencial, credencialVersion, alumno } = evento;
    await this.enviarCredenciales.ejecutar(
      { plantilla: PLANTILLA_BIENVENIDA, alumnoId, upn, credencial, credencialVersion, alumno },
      ctx,
    );
  }
}
