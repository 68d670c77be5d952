import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { AlumnoDatos, alumnoId } from '../common/alumno.js';

/**
 * A known student's data changed in SIAL or an upload; `cambios` names the fields that changed and
 * `anterior` (when the sender knows it) is the data before, so an update can say what it changes.
 */
export const AlumnoActualizado = defineEvent({
  name: 'alumno.actualizado',
  version: 1,
  schema: z.object({
    alumnoId,
    loteId: z.uuid().nullable(),
    alumno: AlumnoDatos,
    cambios: z.array(z.string()).min(1),
    anterior: AlumnoDatos.optional(),
  }),
});
export type AlumnoActualizado = EventPayload<typeof AlumnoActualizado>;
