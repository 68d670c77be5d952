import { baseConfigSchema, env } from '@lucy/platform';
import type { z } from 'zod';

/** ingest-service: the shared variables (see README) with this service's defaults. Its own variables go here. */
export const ingestConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: env.string().default('ingest-service'),
  PORT: env.port().default(3001),
  DB_SCHEMA: env.identifier().default('ingest'),
});

export type IngestConfig = z.infer<typeof ingestConfigSchema>;
