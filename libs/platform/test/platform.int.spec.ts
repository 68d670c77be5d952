// A tiny service on the platform, against the real PostgreSQL: database + schema created, migrations
// run in a throwaway schema, health and metrics answer. The schema is dropped afterwards.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Module, type INestApplication } from '@nestjs/common';
import pg from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  baseConfigSchema,
  bootstrapService,
  DatabaseModule,
  ensureDatabase,
  ensureSchema,
  HealthModule,
  HealthRegistry,
  loadConfig,
  MetricsModule,
  MetricsService,
  schemaOf,
} from '@lucy/platform';

const schema = `t_platform_${randomBytes(4).toString('hex')}`;
const config = loadConfig(baseConfigSchema, {
  SERVICE_NAME: 'platform-test',
  PORT: '0',
  DB_SCHEMA: schema,
  LOG_LEVEL: 'warn',
  DATABASE_URL: process.env.DATABASE_URL,
});

class CreateThing1700000000000 implements MigrationInterface {
  name = 'CreateThing1700000000000';
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE ${schemaOf(q)}.thing (id uuid PRIMARY KEY, name text NOT NULL)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE ${schemaOf(q)}.thing`);
  }
}

@Module({
  imports: [DatabaseModule.forService({ migrations: [CreateThing1700000000000] }), HealthModule, MetricsModule],
})
class TinyModule {}

const quiet = new Writable({ write: (_c, _e, done) => done() });

describe('platform on PostgreSQL', () => {
  let app: INestApplication;
  let url: string;
  const db = new pg.Client({ connectionString: config.DATABASE_URL });

  beforeAll(async () => {
    app = await bootstrapService({ module: TinyModule, config, logging: { destination: quiet } });
    url = await app.getUrl();
    await db.connect();
  });

  afterAll(async () => {
    await app?.close();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
  });

  it('ran the migrations in the service schema, with their bookkeeping table there too', async () => {
    const { rows } = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    expect(rows.map((r) => r.table_name)).toEqual(['migrations', 'thing']);
    const applied = await db.query(`SELECT name FROM "${schema}".migrations`);
    expect(applied.rows).toEqual([{ name: 'CreateThing1700000000000' }]);
  });

  it('answers /health/live', async () => {
    const res = await fetch(`${url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is ready while the database and every registered check are up, and 503 with the detail when one is down', async () => {
    const registry = app.get(HealthRegistry);
    let brokerUp = true;
    registry.register('broker', async () => ({ up: brokerUp, details: { connected: brokerUp } }));

    const ok = await fetch(`${url}/health/ready`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, broker: { status: 'up', connected: true } },
    });

    brokerUp = false;
    const down = await fetch(`${url}/health/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: 'error',
      error: { broker: { status: 'down', connected: false } },
      details: { database: { status: 'up' } },
    });

    registry.register('breaker:graph', async () => {
      throw new Error('graph breaker open');
    });
    brokerUp = true;
    const thrown = await fetch(`${url}/health/ready`);
    expect(thrown.status).toBe(503);
    expect(await thrown.json()).toMatchObject({
      error: { 'breaker:graph': { status: 'down', message: 'graph breaker open' } },
    });
    registry.unregister('breaker:graph');
  });

  it('serves Prometheus metrics labelled with the service, and takes metrics from other modules', async () => {
    const { Counter } = await import('prom-client');
    new Counter({ name: 'lucy_test_total', help: 'test', registers: [app.get(MetricsService).registry] }).inc();
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    expect(body).toContain('process_cpu_user_seconds_total{service="platform-test"}');
    expect(body).toContain('nodejs_heap_size_total_bytes');
    expect(body).toContain('lucy_test_total{service="platform-test"} 1');
  });

  it('starts replicas in parallel on the same schema without running a migration twice', async () => {
    const replicas = await Promise.all(
      [1, 2, 3].map(() => bootstrapService({ module: TinyModule, config, logging: { destination: quiet } })),
    );
    await Promise.all(replicas.map((r) => r.close()));
    const applied = await db.query(`SELECT count(*)::int AS n FROM "${schema}".migrations`);
    expect(applied.rows[0].n).toBe(1);
  });

  it('rejects, with the error and in JSON, when the database cannot be reached (no abort)', async () => {
    const lines: string[] = [];
    const capture = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
    const unreachable = { ...config, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/lucy' };
    await expect(
      bootstrapService({ module: TinyModule, config: unreachable, logging: { destination: capture } }),
    ).rejects.toThrow(/ECONNREFUSED/);
    const logged = lines
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'error', service: 'platform-test', context: 'TypeOrmModule' }),
    );
  }, 20_000);

  it('creates a missing database once, however many services race to do it', async () => {
    const name = `t_platform_db_${randomBytes(4).toString('hex')}`;
    const dbUrl = new URL(config.DATABASE_URL);
    dbUrl.pathname = `/${name}`;
    try {
      await Promise.all([1, 2, 3, 4].map(() => ensureDatabase(dbUrl.toString())));
      await Promise.all([1, 2, 3].map(() => ensureSchema(dbUrl.toString(), 'racing')));
      const { rows } = await db.query('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [name]);
      expect(rows[0].n).toBe(1);
    } finally {
      await db.query(`DROP DATABASE IF EXISTS "${name}"`);
    }
  });
});
