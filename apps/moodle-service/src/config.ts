import { baseConfigSchema, env } from '@lucy/platform';
import type { z } from 'zod';

/** moodle-service: the shared variables (see README) with this service's defaults. Its own variables go here. */
export const moodleConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: env.string().default('moodle-service'),
  PORT: env.port().default(3003),
  DB_SCHEMA: env.identifier().default('moodle'),
});

export type MoodleConfig = z.infer<typeof moodleConfigSchema>;
