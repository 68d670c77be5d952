import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { alumnoId } from '../common/alumno.js';
import { fallo } from '../common/fallo.js';

/** The credentials email could not be delivered (a rejected address is permanent). */
export const EmailFallido = defineEvent({
  name: 'email.fallido',
  version: 1,
  schema: z.object({
    alumnoId,
    plantilla: z.string().min(1),
    credencialVersion: z.number().int().positive(),
    ...fallo,
  }),
});
export type EmailFallido = EventPayload<typeof EmailFallido>;
