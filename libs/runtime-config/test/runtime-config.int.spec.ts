// RuntimeConfigModule as a service wires it, two replicas of one service on the real RabbitMQ and
// PostgreSQL: one consumes ConfiguracionCambiada, both apply it; versions only move forward; a replica
// that starts later reads the applied version before it takes a message; the state is in /health/ready.
import { Writable } from 'node:stream';
import { Module, type INestApplication } from '@nestjs/common';
import pg from 'pg';
import { ConfiguracionCambiada, type Configuracion } from '@lucy/contracts';
import { MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import {
  baseConfigSchema,
  bootstrapService,
  DatabaseModule,
  HealthModule,
  loadConfig,
  MetricsModule,
} from '@lucy/platform';
import { controlQueueOf } from '@lucy/resilience';
import {
  BrokerTap,
  deleteServiceQueues,
  dropSchema,
  throwawayNames,
  waitFor,
  CONFIGURACION_DE_PRUEBA,
} from '@lucy/testing';
import { RuntimeConfig, RuntimeConfigModule, RuntimeConfigTable1764000000000 } from '../src/index.js';

const { service: SERVICE, schema: SCHEMA } = throwawayNames('runtimecfg');
const RETRY_DELAYS = [200];

@Module({
  imports: [
    DatabaseModule.forService({ migrations: [MessagingTables1732000000000, RuntimeConfigTable1764000000000] }),
    HealthModule,
    MetricsModule,
    MessagingModule.forService(),
    RuntimeConfigModule.forService({
      keys: ['loteTamano', 'moodleAuth'] as const,
      fromEnv: () => ({ loteTamano: 20, moodleAuth: 'oauth2' as const }),
      checks: { loteTamano: (n: number) => (n > 1000 ? 'más de 1000 no cabe en este servicio' : undefined) },
    }),
  ],
})
class ReplicaModule {}

const VALORES: Configuracion = CONFIGURACION_DE_PRUEBA;

describe('RuntimeConfigModule', () => {
  const config = loadConfig(baseConfigSchema, {
    ...process.env,
    SERVICE_NAME: SERVICE,
    PORT: '0',
    DB_SCHEMA: SCHEMA,
    DB_POOL_SIZE: '3',
    RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
    CONFIG_POLL_MS: '200',
    LOG_LEVEL: 'warn',
  });
  const quiet = { destination: new Writable({ write: (_c, _e, done) => done() }) };
  const replicas: INestApplication[] = [];
  let tap: BrokerTap;
  let db: pg.Client;

  const start = async () => {
    const app = await bootstrapService({ module: ReplicaModule, config, port: 0, logging: quiet });
    replicas.push(app);
    return app;
  };
  const valueIn = (app: INestApplication) => app.get(RuntimeConfig).get('loteTamano');
  const announce = (version: number, cambios: Partial<Configuracion>, fijadas: string[]) =>
    tap.publish(ConfiguracionCambiada, {
      version,
      valores: { ...VALORES, ...cambios },
      cambios: Object.keys(cambios),
      fijadas,
      cambiadoPor: 'ana@test',
    });

  beforeAll(async () => {
    tap = await BrokerTap.open([], { url: config.RABBITMQ_URL });
    await start(); // creates the database and the schema if missing
    await start();
    db = new pg.Client({ connectionString: config.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    for (const step of [
      ...replicas.map((a) => () => a.close()),
      () => tap?.close(),
      () => dropSchema(db, SCHEMA),
      () => db?.end(),
      () => deleteServiceQueues(controlQueueOf(SERVICE), RETRY_DELAYS, config.RABBITMQ_URL),
    ]) {
      await Promise.resolve()
        .then(step)
        .catch(() => undefined);
    }
  });

  it('starts on the environment', () => {
    expect(replicas.map(valueIn)).toEqual([20, 20]);
    expect(replicas[0]!.get(RuntimeConfig).version).toBe(0);
  });

  it('applies a change in every replica, though only one consumed it, and only the keys set', async () => {
    await announce(1, { loteTamano: 7, moodleAuth: 'manual' }, ['loteTamano']);
    await waitFor(() => replicas.every((r) => valueIn(r) === 7), 'both replicas to apply loteTamano = 7', {
      timeoutMs: 10_000,
    });
    // moodleAuth came in the values but no operator set it: the environment's stays.
    expect(replicas.map((r) => r.get(RuntimeConfig).get('moodleAuth'))).toEqual(['oauth2', 'oauth2']);
    const [row] = (await db.query(`SELECT version, fijadas, cambiado_por FROM "${SCHEMA}".configuracion_aplicada`))
      .rows;
    expect(row).toEqual({ version: 1, fijadas: ['loteTamano'], cambiado_por: 'ana@test' });
  });

  it('ignores a version older than the one applied, whenever it arrives', async () => {
    await announce(3, { loteTamano: 30 }, ['loteTamano']);
    await waitFor(() => replicas.every((r) => valueIn(r) === 30), 'version 3 in both replicas', { timeoutMs: 10_000 });
    await announce(2, { loteTamano: 25 }, ['loteTamano']); // a retried older change arriving late
    await announce(4, { loteTamano: 30, moodleAuth: 'oidc' }, ['loteTamano', 'moodleAuth']); // sent after it: once applied, 2 was handled before it
    await waitFor(() => replicas.every((r) => r.get(RuntimeConfig).version === 4), 'version 4 in both replicas', {
      timeoutMs: 10_000,
    });
    expect(replicas.map(valueIn)).toEqual([30, 30]);
    expect(replicas[1]!.get(RuntimeConfig).get('moodleAuth')).toBe('oidc');
  });

  it('keeps a value the service refuses, and shows why in /health/ready', async () => {
    await announce(5, { loteTamano: 5000 }, ['loteTamano']);
    await waitFor(() => replicas.every((r) => r.get(RuntimeConfig).version === 5), 'version 5 in both replicas', {
      timeoutMs: 10_000,
    });
    expect(replicas.map(valueIn)).toEqual([30, 30]);
    const res = await fetch(`${await replicas[0]!.getUrl()}/health/ready`);
    const body = (await res.json()) as { details: Record<string, unknown> };
    expect(body.details.configuracion).toMatchObject({
      status: 'up',
      version: 5,
      fijadas: ['loteTamano'],
      rechazadas: { loteTamano: 'más de 1000 no cabe en este servicio' },
    });
    const metrics = await (await fetch(`${await replicas[0]!.getUrl()}/metrics`)).text();
    expect(metrics).toMatch(/lucy_config_version\{service="[^"]+"\} 5/);
  });

  it('a replica started later applies the stored version before it takes any message', async () => {
    await announce(6, { loteTamano: 12 }, ['loteTamano']);
    await waitFor(() => replicas.every((r) => valueIn(r) === 12), 'version 6 in both replicas', { timeoutMs: 10_000 });
    const late = await start();
    expect(valueIn(late)).toBe(12);
    expect(late.get(RuntimeConfig).version).toBe(6);
  });
});
