import { AvisoRetornoFallido, EnviarAvisoRetorno } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { PLANTILLA_RETORNO } from '../domain/envio.js';
import { EnviarCredenciales } from '../envio/enviar-credenciales.service.js';

// A send that fails for good (or on its last attempt) answers AvisoRetornoFallido.
@Handler(EnviarAvisoRetorno, {
  onFailure: {
    event: AvisoRetornoFallido,
    payload: (c, fallo) => ({ alumnoId: c.alumnoId, retorno: c.retorno, ...fallo }),
  },
})
export class EnviarAvisoRetornoHandler {
  constructor(private readonly enviarCredenciales: EnviarCredenciales) {}

  // The student came back: email them that their account is active again (their UPN, no password), once
  // per return — the return's number stands where a credential's version would (domain/envio.ts).
  async handle(comando: EnviarAvisoRetorno, ctx: MessageContext): Promise<void> {
    const { alumnoId, upn, alumno, retorno } = comando;
    await this.enviarCredenciales.ejecutar(
      { plantilla: PLANTILLA_RETORNO, alumnoId, upn, credencialVersion: retorno, alumno },
      ctx,
    );
  }
}
