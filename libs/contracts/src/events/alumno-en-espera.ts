import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { AlumnoDatos, alumnoId } from '../common/alumno.js';

/**
 * A new student waits for an operator's approval before being onboarded (runtime key aprobacionNuevos), with
 * the data the registry holds (sent again when it changes while they wait). `enEspera: false`: they no longer
 * wait without being onboarded — approved after they had left (marked leaving or absent meanwhile).
 */
export const AlumnoEnEspera = defineEvent({
  name: 'alumno.en-espera',
  version: 1,
  schema: z.object({ alumnoId, loteId: z.uuid().nullable(), alumno: AlumnoDatos, enEspera: z.boolean() }),
});
export type AlumnoEnEspera = EventPayload<typeof AlumnoEnEspera>;
