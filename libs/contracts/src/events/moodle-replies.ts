import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { alumnoId, fallo } from '../common/alumno.js';

/** The student was removed from the listed courses (already absent counts as removed). */
export const MoodleDesenrolado = defineEvent({
  name: 'moodle.desenrolado',
  version: 1,
  schema: z.object({ alumnoId, moodleUserId: z.number().int().positive().nullable(), cursos: z.array(z.string()) }),
});
export type MoodleDesenrolado = EventPayload<typeof MoodleDesenrolado>;

export const MoodleDesenrolamientoFallido = defineEvent({
  name: 'moodle.desenrolamiento-fallido',
  version: 1,
  schema: z.object({ alumnoId, ...fallo }),
});
export type MoodleDesenrolamientoFallido = EventPayload<typeof MoodleDesenrolamientoFallido>;
