import { z } from 'zod';
import { env } from './env.fields.js';

/**
 * The variables every service reads. A service extends this with its own and gives SERVICE_NAME,
 * PORT and DB_SCHEMA their defaults (see apps/<app>/src/config.ts).
 */
export const baseConfigSchema = z.object({
  SERVICE_NAME: env.string(),
  HOST: env.string().default('127.0.0.1'),
  PORT: env.port(),
  LOG_LEVEL: env.logLevel().default('info'),
  HTTP_BODY_LIMIT: env.string().default('1mb'),
  DATABASE_URL: env.url(['postgres', 'postgresql']).default('postgres://postgres@127.0.0.1:5432/lucy'),
  DB_SCHEMA: env.identifier(),
  DB_POOL_SIZE: env.int(1, 200).default(10),
  RABBITMQ_URL: env.url(['amqp', 'amqps']).default('amqp://guest:guest@127.0.0.1:5672'),
  RABBITMQ_PREFETCH: env.int(1, 65535).default(20),
  RABBITMQ_QUEUE_TYPE: z.enum(['classic', 'quorum'], { error: 'must be classic or quorum' }).default('classic'),
  RETRY_DELAYS_MS: env.intList().default([1000, 5000, 30000, 120000]),
  /** How the transport's own statements reach PostgreSQL (libs/messaging/README.md); unset: direct where it may. */
  MESSAGING_SQL: z.enum(['direct', 'typeorm'], { error: 'must be direct or typeorm' }).optional(),
  SHUTDOWN_TIMEOUT_MS: env.int(0).default(10000),
  /** How often each replica re-reads the runtime configuration another replica applied (0 = only at start). */
  CONFIG_POLL_MS: env.int(0).default(2000),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;
