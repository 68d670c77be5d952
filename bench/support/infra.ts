// What every scenario shares: where the broker and the database are, the knobs read from the
// environment, throwaway schemas (built the way libs/messaging's test harness builds them) and queue
// clean-up. Everything here targets 127.0.0.1 unless the environment says otherwise.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { DataSource } from 'typeorm';
import { createLogger, ensureDatabase, ensureSchema } from '@lucy/platform';
import { MessagingTables1732000000000 } from '@lucy/messaging';

function intFromEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min} (got "${raw}")`);
  return n;
}

export const config = {
  rabbitUrl: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lucy_bench',
  /** Items in the measured run of each scenario. */
  items: intFromEnv('BENCH_ITEMS', 3000),
  /** Items sent through first and not counted (connections, JIT, pools, page cache). */
  warmup: intFromEnv('BENCH_WARMUP', 300, 0),
  /** Unacked deliveries each hop's consumer may hold (the same bound in every scenario). */
  prefetch: intFromEnv('BENCH_PREFETCH', 50),
  /** Items the seeder has in flight (published, not yet confirmed / committed) at once. */
  seedWindow: intFromEnv('BENCH_SEED_WINDOW', 100),
  /** PostgreSQL pool per runtime in the inbox+outbox scenario (libs/messaging's test harness uses 20). */
  pgPool: intFromEnv('BENCH_PG_POOL', 20),
  /** A scenario with no progress for this long aborts. */
  stallMs: intFromEnv('BENCH_STALL_SECONDS', 30) * 1000,
  /** Which scenarios to run (comma-separated subset of raw,off,on,orm,nest); all by default. */
  scenarios: (process.env.BENCH_SCENARIOS ?? 'raw,off,on,orm,nest')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'silent',
};

export const log = createLogger('bench', { level: config.logLevel });

/** A short random tag for names: starts with a letter so it is valid in a message name too. */
export const tag = () => `r${randomUUID().replace(/-/g, '').slice(0, 7)}`;

/** The payload every scenario relays: a counter, the phase, and some text so the body is not trivially small. */
export interface Item {
  phase: string;
  n: number;
  texto: string;
}
export const TEXT = 'alumno de prueba para el banco de medidas, con tildes: áéíóú ñ '.repeat(3);

/** A throwaway schema with libs/messaging's tables, as libs/messaging/test/support/harness.ts builds it. */
export async function openSchema(schema: string, poolMax = config.pgPool): Promise<DataSource> {
  await ensureDatabase(config.databaseUrl);
  await ensureSchema(config.databaseUrl, schema);
  const ds = new DataSource({
    type: 'postgres',
    url: config.databaseUrl,
    schema,
    migrations: [MessagingTables1732000000000],
    migrationsTableName: 'migrations',
    extra: { max: poolMax },
  });
  await ds.initialize();
  await ds.runMigrations();
  return ds;
}

export async function dropSchema(ds: DataSource): Promise<void> {
  const schema = (ds.options as { schema: string }).schema;
  try {
    await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await ds.destroy().catch(() => undefined);
  }
}

/** Deletes queues (missing ones are fine), on a connection of its own. */
export async function deleteQueues(queues: string[]): Promise<void> {
  if (queues.length === 0) return;
  const conn = await amqp.connect(config.rabbitUrl);
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    for (const q of queues) await ch.deleteQueue(q).catch(() => undefined);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Resolves with `p`, or rejects after `ms` (used so that clean-up can never hang the run). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      timer.unref();
    }),
  ]);
}
