import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { alumnoId } from '../common/alumno.js';
import { fallo } from '../common/fallo.js';

/** The return email (the account is active again) was accepted by the SMTP server. */
export const AvisoRetornoEnviado = defineEvent({
  name: 'email.aviso-retorno-enviado',
  version: 1,
  schema: z.object({
    alumnoId,
    retorno: z.number().int().positive(),
    destinatario: z.email(),
    smtpMessageId: z.string().nullable(),
  }),
});
export type AvisoRetornoEnviado = EventPayload<typeof AvisoRetornoEnviado>;

/** The return email could not be delivered (a rejected address is permanent). */
export const AvisoRetornoFallido = defineEvent({
  name: 'email.aviso-retorno-fallido',
  version: 1,
  schema: z.object({ alumnoId, retorno: z.number().int().positive(), ...fallo }),
});
export type AvisoRetornoFallido = EventPayload<typeof AvisoRetornoFallido>;
