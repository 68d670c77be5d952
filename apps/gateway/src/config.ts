import { baseConfigSchema, env } from '@lucy/platform';
import type { z } from 'zod';

/** gateway: the shared variables (see README) with this service's defaults. Its own variables go here. */
export const gatewayConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: env.string().default('gateway'),
  PORT: env.port().default(3000),
  DB_SCHEMA: env.identifier().default('gateway'),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
