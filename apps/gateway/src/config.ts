import { baseConfigSchema, env } from '@lucy/platform';
import { z } from 'zod';

/** gateway: the shared variables (see README) with this service's defaults. Its own variables go here. */
export const gatewayConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: env.string().default('gateway'),
  PORT: env.port().default(3000),
  DB_SCHEMA: env.identifier().default('gateway'),
  /** Scales the saga's step timeouts (30 min to create an account, ...): tests shrink them. */
  WORKFLOW_TIMEOUT_FACTOR: z.coerce.number().positive().default(1),
  /** How often the sweeper looks for stuck workflows and failed undo steps to retry. */
  SWEEP_INTERVAL_MS: env.int(100).default(30_000),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
