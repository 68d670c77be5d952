// The transport against the real RabbitMQ and PostgreSQL: a throwaway schema with its tables, a
// runtime per "service" with unique queue names, and clean-up of every queue a test declared.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { DataSource } from 'typeorm';
import { createLogger, ensureDatabase, ensureSchema } from '@lucy/platform';
import {
  messagingDefaults,
  MessagingRuntime,
  MessagingTables1732000000000,
  type MessagingOptions,
} from '@lucy/messaging';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lucy_test';
export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const RETRY_DELAYS = [100, 300, 700];
export const log = createLogger('resilience-test', { level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export async function openSchema(schema = `t_${randomUUID().slice(0, 8)}`): Promise<DataSource> {
  await ensureDatabase(DATABASE_URL);
  await ensureSchema(DATABASE_URL, schema);
  const ds = new DataSource({
    type: 'postgres',
    url: DATABASE_URL,
    schema,
    migrations: [MessagingTables1732000000000],
    migrationsTableName: 'migrations',
    extra: { max: 10 },
  });
  await ds.initialize();
  await ds.runMigrations();
  return ds;
}

export async function dropSchema(ds: DataSource): Promise<void> {
  await ds.query(`DROP SCHEMA IF EXISTS "${(ds.options as { schema: string }).schema}" CASCADE`);
  await ds.destroy();
}

export function runtimeFor(
  service: string,
  ds: DataSource | undefined,
  overrides: Partial<MessagingOptions> = {},
): MessagingRuntime {
  const db = ds ? {} : { inbox: false, outbox: false };
  return new MessagingRuntime(
    {
      ...messagingDefaults(service, RABBITMQ_URL),
      retryDelaysMs: RETRY_DELAYS,
      outboxPollMs: 200,
      shutdownTimeoutMs: 5000,
      ...db,
      ...overrides,
    },
    { log, dataSource: ds },
  );
}

export async function deleteQueues(...queues: string[]): Promise<void> {
  const conn = await amqp.connect(RABBITMQ_URL);
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  for (const q of queues)
    for (const name of [q, `${q}.parked`, ...RETRY_DELAYS.map((d) => `${q}.retry.${d}ms`)])
      await ch.deleteQueue(name).catch(() => undefined);
  await conn.close().catch(() => undefined);
}

export const uniqueService = (name: string) => `test-${name}-${randomUUID().slice(0, 6)}`;

/** Polls for a state with a deadline (no fixed sleeps). */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
