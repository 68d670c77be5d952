import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { alumnoId } from '../common/alumno.js';
import { fallo } from '../common/fallo.js';

/** Moodle enrolment failed for good (or its retries ran out): the onboarding completes with a warning. */
export const MoodleFallido = defineEvent({
  name: 'moodle.fallido',
  version: 1,
  schema: z.object({ alumnoId, ...fallo }),
});
export type MoodleFallido = EventPayload<typeof MoodleFallido>;
