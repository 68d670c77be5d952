// ingest-service in-process for its integration specs, against the real RabbitMQ and PostgreSQL: its own
// schema and queue (the spec's throwaway names), its own Redis db, silent, a broker tap on what the spec
// listens to, a pg client for its assertions and, when the spec pulls from it, the sandbox. What differs
// between specs comes in as options; close() removes all of it, each step whatever the others did.
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { bootstrapService, loadConfig } from '@lucy/platform';
import { controlQueueOf } from '@lucy/resilience';
import {
  BrokerTap,
  cleanUp,
  deleteServiceQueues,
  dropSchema,
  startTestSandbox,
  type TapBinding,
  type TestSandbox,
  type TestSandboxOptions,
  type ThrowawayNames,
} from '@lucy/testing';
import { ingestConfigSchema, type IngestConfig } from '../../src/config.js';
import { IngestModule } from '../../src/ingest.module.js';

export const RETRY_DELAYS = [200, 400];

type Env = Record<string, string | undefined>;

export interface IngestBajoPruebaOptions {
  /** The spec's throwawayNames(...): SERVICE_NAME (its queues) and DB_SCHEMA. */
  names: Pick<ThrowawayNames, 'service' | 'schema'>;
  /** The Redis db of the spec's limiters and breakers: specs that must not share state use different ones. */
  redisDb: number;
  /** What the tap binds: messages, or onEvents/onCommands patterns. */
  tap: TapBinding[];
  /** The sandbox to start first (without Graph); SIAL_URL points at it. */
  sandbox?: Omit<TestSandboxOptions, 'graph'>;
  /** The spec's own keys, over the common ones; a function when they name the sandbox's addresses. */
  env?: Env | ((sandbox: TestSandbox | undefined) => Env);
  /** How many instances share the config (replicas of one service); `app` is the first. */
  replicas?: number;
}

/** `S`: TestSandbox where the spec asked for one. */
export interface IngestBajoPrueba<S extends TestSandbox | undefined = TestSandbox | undefined> {
  app: INestApplication;
  replicas: INestApplication[];
  config: IngestConfig;
  tap: BrokerTap;
  db: pg.Client;
  sandbox: S;
  close(): Promise<void>;
}

/** One more instance of ingest-service with `config`, silent: a replica, closed by whoever starts it. */
export const bootIngest = (config: IngestConfig): Promise<INestApplication> =>
  bootstrapService({
    module: IngestModule,
    config,
    port: 0,
    logging: { destination: new Writable({ write: (_c, _e, done) => done() }) },
  });

export function startIngestUnderTest(
  options: IngestBajoPruebaOptions & { sandbox: object },
): Promise<IngestBajoPrueba<TestSandbox>>;
export function startIngestUnderTest(options: IngestBajoPruebaOptions): Promise<IngestBajoPrueba>;
export async function startIngestUnderTest(options: IngestBajoPruebaOptions): Promise<IngestBajoPrueba> {
  const { service, schema } = options.names;
  const replicas: INestApplication[] = [];
  let sandbox: TestSandbox | undefined;
  let tap: BrokerTap | undefined;
  let db: pg.Client | undefined;
  let config: IngestConfig | undefined;

  const close = () =>
    cleanUp([
      ...replicas.map((a) => () => a.close()),
      () => tap?.close(),
      () => sandbox?.close(),
      () => db && dropSchema(db, schema),
      () => db?.end(),
      () => config && deleteServiceQueues(service, RETRY_DELAYS, config.RABBITMQ_URL),
      () => config && deleteServiceQueues(controlQueueOf(service), RETRY_DELAYS, config.RABBITMQ_URL),
    ]);

  try {
    if (options.sandbox) sandbox = await startTestSandbox({ ...options.sandbox, graph: false });
    const env = typeof options.env === 'function' ? options.env(sandbox) : (options.env ?? {});
    config = loadConfig(ingestConfigSchema, {
      ...process.env,
      SERVICE_NAME: service,
      DB_SCHEMA: schema,
      SIAL_URL: sandbox?.urls.sial ?? 'http://127.0.0.1:6179', // without a sandbox, never called: no pull
      BATCH_SWEEP_MS: '0',
      RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '3', // the database is shared with other suites
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/${options.redisDb}`,
      ...env,
    });
    tap = await BrokerTap.open(options.tap, { url: config.RABBITMQ_URL });
    for (let i = 0; i < (options.replicas ?? 1); i++) replicas.push(await bootIngest(config));
    db = new pg.Client({ connectionString: config.DATABASE_URL });
    await db.connect();
    return { app: replicas[0]!, replicas, config, tap, db, sandbox, close };
  } catch (e) {
    // Whatever started before the failure goes, as afterAll would have removed it.
    await close();
    throw e;
  }
}
