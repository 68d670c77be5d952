import { z } from 'zod';
import { defineCommand, type Payload } from '../message.js';
import { AlumnoDatos, alumnoId } from '../common/alumno.js';
import { MoodleEnrolado } from '../events/moodle-enrolado.js';
import { MoodleFallido } from '../events/moodle-fallido.js';
import { MoodleDesenrolado, MoodleDesenrolamientoFallido } from '../events/moodle-replies.js';

/** Enrol (again) in Moodle: an operator's retry after Moodle was down, or a course added later. */
export const EnrolarMoodle = defineCommand({
  name: 'moodle.enrolar',
  version: 1,
  schema: z.object({
    alumnoId,
    upn: z.email(),
    alumno: AlumnoDatos,
    /** Course shortnames; absent means "the courses configured for the student's estado and period". */
    cursos: z.array(z.string().min(1)).optional(),
  }),
  replies: [MoodleEnrolado, MoodleFallido],
});
export type EnrolarMoodle = Payload<typeof EnrolarMoodle>;

/** Undo of MoodleEnrolado. Absent `cursos` means every course Lucy enrolled the student in. */
export const DesenrolarMoodle = defineCommand({
  name: 'moodle.desenrolar',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), cursos: z.array(z.string().min(1)).optional() }),
  replies: [MoodleDesenrolado, MoodleDesenrolamientoFallido],
});
export type DesenrolarMoodle = Payload<typeof DesenrolarMoodle>;
