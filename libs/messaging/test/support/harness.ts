// Test support: a throwaway schema with the transport's tables and an `effects` table, and a runtime
// per "service" with its own queue names, against the real PostgreSQL and RabbitMQ.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import amqp from 'amqplib';
import { z } from 'zod';
import { defineEvent } from '@lucy/contracts';
import { createLogger, ensureDatabase, ensureSchema } from '@lucy/platform';
import { waitFor as sharedWaitFor } from '@lucy/testing';
import {
  messagingDefaults,
  MessagingLeases1764700000000,
  MessagingRuntime,
  MessagingTables1732000000000,
  type MessagingOptions,
} from '../../src/index.js';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lucy_test';
export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Messages only the tests use (the consumer looks them up in its own handlers, not the registry). */
export const Ping = defineEvent({
  name: 'prueba.ping',
  version: 1,
  schema: z.object({ n: z.number().int(), texto: z.string().optional() }),
});
export const Pong = defineEvent({ name: 'prueba.pong', version: 1, schema: z.object({ n: z.number().int() }) });
export const Pang = defineEvent({ name: 'prueba.pang', version: 1, schema: z.object({ n: z.number().int() }) });

export const log = createLogger('messaging-test', { level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export async function openSchema(schema = `t_${randomUUID().slice(0, 8)}`): Promise<DataSource> {
  await ensureDatabase(DATABASE_URL);
  await ensureSchema(DATABASE_URL, schema);
  const ds = new DataSource({
    type: 'postgres',
    url: DATABASE_URL,
    schema,
    migrations: [MessagingTables1732000000000, MessagingLeases1764700000000],
    migrationsTableName: 'migrations',
    extra: { max: 20 },
  });
  await ds.initialize();
  await ds.runMigrations();
  await ds.query(
    `CREATE TABLE IF NOT EXISTS "${schema}".effects (id serial PRIMARY KEY, message_id text NOT NULL, n int NOT NULL, info jsonb)`,
  );
  return ds;
}

export async function dropSchema(ds: DataSource): Promise<void> {
  const schema = (ds.options as { schema: string }).schema;
  await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds.destroy();
}

export function runtimeFor(
  service: string,
  ds: DataSource | undefined,
  overrides: Partial<MessagingOptions> = {},
): MessagingRuntime {
  return new MessagingRuntime(
    {
      ...messagingDefaults(service, RABBITMQ_URL),
      retryDelaysMs: [100, 300, 700],
      outboxPollMs: 200,
      shutdownTimeoutMs: 5000,
      ...overrides,
    },
    { log, dataSource: ds },
  );
}

/** Deletes every queue a test service declared, so runs leave nothing behind. */
export async function deleteQueues(service: string, delays = [100, 300, 700]): Promise<void> {
  const conn = await amqp.connect(RABBITMQ_URL);
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  for (const q of [service, `${service}.parked`, ...delays.map((d) => `${service}.retry.${d}ms`)])
    await ch.deleteQueue(q).catch(() => undefined);
  await conn.close().catch(() => undefined);
}

/** Waits for a condition with a deadline instead of sleeping a fixed time (@lucy/testing's, in this file's argument order). */
export const waitFor = <T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> => sharedWaitFor(probe, what, { timeoutMs, everyMs: 25 });

export const uniqueService = (name: string) => `test-${name}-${randomUUID().slice(0, 6)}`;
