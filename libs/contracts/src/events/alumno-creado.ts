import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { AlumnoDatos, alumnoId } from '../common/alumno.js';

/** A new student entered the registry (from a SIAL pull or an upload): the onboarding starts here. */
export const AlumnoCreado = defineEvent({
  name: 'alumno.creado',
  version: 1,
  schema: z.object({
    alumnoId,
    loteId: z.uuid().nullable(),
    alumno: AlumnoDatos,
  }),
});
export type AlumnoCreado = EventPayload<typeof AlumnoCreado>;
