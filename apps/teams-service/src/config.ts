import { baseConfigSchema, env } from '@lucy/platform';
import type { z } from 'zod';

/** teams-service: the shared variables (see README) with this service's defaults. Its own variables go here. */
export const teamsConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: env.string().default('teams-service'),
  PORT: env.port().default(3002),
  DB_SCHEMA: env.identifier().default('teams'),
});

export type TeamsConfig = z.infer<typeof teamsConfigSchema>;
