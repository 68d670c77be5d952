import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { alumnoId } from '../common/alumno.js';

/** The credentials email was accepted by the SMTP server. */
export const EmailEnviado = defineEvent({
  name: 'email.enviado',
  version: 1,
  schema: z.object({
    alumnoId,
    plantilla: z.string().min(1),
    credencialVersion: z.number().int().positive(),
    destinatario: z.email(),
    smtpMessageId: z.string().nullable(),
  }),
});
export type EmailEnviado = EventPayload<typeof EmailEnviado>;
