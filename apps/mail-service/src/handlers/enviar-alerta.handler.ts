import { AlertaFallida, EnviarAlerta } from '@lucy/contracts';
import { Handler, PermanentError, type MessageContext } from '@lucy/messaging';
import { renderAlerta } from '../alertas/plantilla-alerta.js';
import { PLANTILLA_ALERTA } from '../domain/envio.js';
import { EnviarCredenciales } from '../envio/enviar-credenciales.service.js';

// A send that fails for good (or on its last attempt) answers AlertaFallida.
@Handler(EnviarAlerta, {
  onFailure: { event: AlertaFallida, payload: (c, fallo) => ({ alertaId: c.alertaId, ...fallo }) },
})
export class EnviarAlertaHandler {
  constructor(private readonly enviarCredenciales: EnviarCredenciales) {}

  // The operators' alert: one email to every recipient, once per alert (its id is the clave), through the
  // same guarded SMTP path, envio row and metric as the students' emails.
  async handle(comando: EnviarAlerta, ctx: MessageContext): Promise<void> {
    const clave = { alumnoId: comando.alertaId, plantilla: PLANTILLA_ALERTA, credencialVersion: 1 };
    await this.enviarCredenciales.enviarUna(
      clave,
      () => {
        try {
          return { destinatario: comando.destinatarios.join(', '), mensaje: renderAlerta(comando) };
        } catch (err) {
          // A template that does not render will not render on a retry either.
          throw new PermanentError((err as Error).message, 'PLANTILLA_INVALIDA');
        }
      },
      ctx,
    );
  }
}
