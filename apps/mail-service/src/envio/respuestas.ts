// What tells the gateway how an email went, for each template: the credentials email answers the
// onboarding saga (EmailEnviado / EmailFallido), the return email the lifecycle's retorno
// (AvisoRetornoEnviado / AvisoRetornoFallido, its return's number in the clave's credencialVersion), an
// operators' alert the gateway (AlertaEnviada / AlertaFallida, its id in the clave's alumnoId).
import {
  AlertaEnviada,
  AlertaFallida,
  AvisoRetornoEnviado,
  AvisoRetornoFallido,
  EmailEnviado,
  EmailFallido,
  type EmailFallido as Fallo,
} from '@lucy/contracts';
import type { MessageContext } from '@lucy/messaging';
import { PLANTILLA_ALERTA, PLANTILLA_RETORNO, type ClaveEnvio } from '../domain/envio.js';

type Resultado = Pick<Fallo, 'permanente' | 'codigo' | 'motivo'>;

export interface Respuestas {
  enviado(ctx: MessageContext, clave: ClaveEnvio, destinatario: string, smtpMessageId: string | null): void;
  fallido(ctx: MessageContext, clave: ClaveEnvio, f: Resultado): void;
}

const CREDENCIALES: Respuestas = {
  enviado: (ctx, clave, destinatario, smtpMessageId) =>
    ctx.publish(EmailEnviado, { ...clave, destinatario, smtpMessageId }),
  fallido: (ctx, clave, f) => ctx.publish(EmailFallido, { ...clave, ...f }),
};

const RETORNO: Respuestas = {
  enviado: (ctx, clave, destinatario, smtpMessageId) =>
    ctx.publish(AvisoRetornoEnviado, {
      alumnoId: clave.alumnoId,
      retorno: clave.credencialVersion,
      destinatario,
      smtpMessageId,
    }),
  fallido: (ctx, clave, f) =>
    ctx.publish(AvisoRetornoFallido, { alumnoId: clave.alumnoId, retorno: clave.credencialVersion, ...f }),
};

const ALERTA: Respuestas = {
  enviado: (ctx, clave, destinatario, smtpMessageId) =>
    ctx.publish(AlertaEnviada, { alertaId: clave.alumnoId, destinatario, smtpMessageId }),
  fallido: (ctx, clave, f) => ctx.publish(AlertaFallida, { alertaId: clave.alumnoId, ...f }),
};

/** The replies of the email a clave names. */
export const respuestasDe = (plantilla: string): Respuestas =>
  plantilla === PLANTILLA_RETORNO ? RETORNO : plantilla === PLANTILLA_ALERTA ? ALERTA : CREDENCIALES;
