import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { alumnoId } from '../common/alumno.js';

export const CursoMoodle = z.object({ shortname: z.string().min(1), courseId: z.number().int().positive() });

/** The student has a Moodle user and is enrolled, as a student, in every course listed. */
export const MoodleEnrolado = defineEvent({
  name: 'moodle.enrolado',
  version: 1,
  schema: z.object({
    alumnoId,
    moodleUserId: z.number().int().positive(),
    username: z.string().min(1),
    cursos: z.array(CursoMoodle),
  }),
});
export type MoodleEnrolado = EventPayload<typeof MoodleEnrolado>;
