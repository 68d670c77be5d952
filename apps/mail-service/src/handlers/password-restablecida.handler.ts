import { PasswordRestablecida, EmailFallido } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { PLANTILLA_BIENVENIDA } from '../domain/envio.js';
import { EnviarCredenciales } from '../envio/enviar-credenciales.service.js';

// A send that fails for good (or on its last attempt) answers EmailFallido.
@Handler(PasswordRestablecida, {
  onFailure: {
    event: EmailFallido,
    payload: (e, fallo) => ({
      alumnoId: e.alumnoId,
      plantilla: PLANTILLA_BIENVENIDA,
      credencialVersion: e.credencialVersion,
      ...fallo,
    }),
  },
})
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
