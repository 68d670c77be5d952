// A service whose dependency's rate is slowed to one write a second, with thousands of messages queued
// (real RabbitMQ, PostgreSQL and Redis, the service wired as teams-service is): the messages wait for their
// rate slots holding no pooled connection and no transaction, so /health/ready answers "database up"
// within its timeout, few connections are ever in use, and a control message is applied within a second.
import 'reflect-metadata';
import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import { z } from 'zod';
import { defineEvent, LimitesCambiados } from '@lucy/contracts';
import {
  Handler,
  MessagingModule,
  MessagingRuntime,
  MessagingTables1732000000000,
  type MessageContext,
} from '@lucy/messaging';
import {
  AppConfigModule,
  baseConfigSchema,
  DatabaseModule,
  HealthModule,
  loadConfig,
  MetricsModule,
} from '@lucy/platform';
import { throwawayNames } from '@lucy/testing';
import {
  controlQueueOf,
  dependencyEnv,
  InjectGuard,
  ResilienceModule,
  resilienceEnv,
  type DependencyGuard,
} from '../src/index.js';
import { DATABASE_URL, deleteQueues, log, RABBITMQ_URL, runtimeFor, waitFor } from './support/messaging.js';
import { connectRedis, dropKeys, ready, sleep, uniqueApi } from './support/redis.js';

/** "Call the dependency once for this": only these tests use it. */
const LlamarDependencia = defineEvent({
  name: 'prueba-espera.llamar',
  version: 1,
  schema: z.object({ n: z.number().int() }),
});

const QUEUED = 3000;
const POOL = 10;

@Injectable()
@Handler(LlamarDependencia)
class LlamarHandler {
  handled = 0;
  constructor(@InjectGuard('graph') readonly guard: DependencyGuard) {}

  // Like teams-service's handlers: database work in the message's transaction around the external call.
  async handle(_: { n: number }, ctx: MessageContext) {
    await ctx.manager.query('SELECT 1');
    await this.guard.call('write', async () => 'ok');
    await ctx.manager.query('SELECT 1');
    this.handled++;
  }
}

describe('waiting for a rate slot holds nothing', () => {
  const { service, schema } = throwawayNames('espera');
  const api = uniqueApi('espera');
  let app: INestApplication;
  let base: string;
  let admin: pg.Client;

  beforeAll(async () => {
    const config = loadConfig(baseConfigSchema.extend({ ...resilienceEnv(), ...dependencyEnv('GRAPH') }), {
      SERVICE_NAME: service,
      PORT: '0',
      DATABASE_URL,
      DB_SCHEMA: schema,
      DB_POOL_SIZE: String(POOL),
      RABBITMQ_URL,
      LOG_LEVEL: 'silent',
      RETRY_DELAYS_MS: '1000,5000,30000',
      GRAPH_RPM: '6000',
      GRAPH_WRITE_RPM: '60', // one write a second: the slowed limiter
      GRAPH_RATE_MAX_WAIT_MS: '60000',
    });
    const ref = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule.forService({ migrations: [MessagingTables1732000000000] }),
        HealthModule,
        MetricsModule,
        MessagingModule.forService(),
        ResilienceModule.forDependency({
          name: 'graph',
          env: 'GRAPH',
          api,
          calls: { [LlamarDependencia.id]: { write: 1 } },
        }),
      ],
      providers: [LlamarHandler],
    }).compile();
    app = ref.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    // The backlog, published as another service would (no database on that side).
    const publisher = runtimeFor(`${service}-publisher`, undefined);
    await publisher.start();
    await Promise.all(Array.from({ length: QUEUED }, (_, n) => publisher.publish(LlamarDependencia, { n })));
    await publisher.stop();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await admin?.end();
    await deleteQueues(service, controlQueueOf(service));
    const redis = await ready(connectRedis());
    await dropKeys(redis, api);
    redis.disconnect();
  }, 60_000);

  /** The service's connections doing something (a query, or a transaction open between queries). */
  async function busyConnections(): Promise<number> {
    const { rows } = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state <> 'idle'",
      [service],
    );
    return rows[0].n;
  }

  it('keeps /health/ready up, few connections busy and control messages prompt while thousands wait', async () => {
    const handler = app.get(LlamarHandler);
    await waitFor(() => handler.handled >= 2, 15_000, 'the first messages to be handled at one a second');

    const busy: number[] = [];
    const health: { ms: number; status: number; database?: string }[] = [];
    const until = Date.now() + 8000;
    while (Date.now() < until) {
      busy.push(await busyConnections());
      const t = Date.now();
      const res = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(5000) });
      const body = (await res.json()) as {
        info?: Record<string, { status: string }>;
        error?: Record<string, { status: string }>;
      };
      health.push({
        ms: Date.now() - t,
        status: res.status,
        database: (body.info ?? body.error ?? {}).database?.status,
      });
      await sleep(200);
    }
    log.info({ busy, health: health.map((h) => h.ms) }, 'samples');
    expect(health.every((h) => h.status === 200 && h.database === 'up')).toBe(true);
    expect(Math.max(...health.map((h) => h.ms))).toBeLessThan(3000);
    // Waiting messages hold nothing: at most the one being handled (and a moment of overlap) uses the pool.
    expect(Math.max(...busy)).toBeLessThanOrEqual(2);
    // While thousands still wait (in the queue, and the prefetch's worth in admission).
    const [main] = (await app.get(MessagingRuntime).queueStatus()).filter((q) => q.queue === service);
    expect(main.messages + main.inFlight).toBeGreaterThan(QUEUED / 2);

    // A control message while thousands wait: applied within a second.
    const tap = runtimeFor(`${service}-operator`, undefined);
    await tap.start();
    try {
      const sent = Date.now();
      await tap.publish(LimitesCambiados, { api, rpm: 6000, writeRpm: 120 });
      await waitFor(
        async () => (await handler.guard.limiter!.snapshot()).limits.writeRpm === 120,
        5000,
        'the new limits to be applied',
      );
      expect(Date.now() - sent).toBeLessThan(1000);
    } finally {
      await tap.stop();
    }
  }, 90_000);
});
