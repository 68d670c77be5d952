import { baseConfigSchema, env } from '@lucy/platform';
import type { z } from 'zod';

/** mail-service: the shared variables (see README) with this service's defaults. Its own variables go here. */
export const mailConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: env.string().default('mail-service'),
  PORT: env.port().default(3004),
  DB_SCHEMA: env.identifier().default('mail'),
});

export type MailConfig = z.infer<typeof mailConfigSchema>;
