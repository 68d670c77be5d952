import { PasswordRestablecida } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { PLANTILLA_BIENVENIDA } from '../domain/envio.js';
import { EnviarCredenciales } from '../envio/enviar-credenciales.service.js';

@Handler(PasswordRestablecida)
export class PasswordRestablecidaHandler {
  constructor(private readonly enviarCredenciales: EnviarCredenciales) {}

  // The credentials were issued again (a new credencialVersion): email the new ones, once.
  async handle(evento: PasswordRestablecida, ctx: MessageContext): Promise<void> {
    const { alumnoId, upn, credencial, credencialVersion, alumno } = evento;
    await this.enviarCredenciales.ejecutar(
      { plantilla: PLANTILLA_BIENVENIDA, alumnoId, upn, credencial, credencialVersion, alumno },
      ctx,
    );
  }
}
