// The service skeleton: it boots in-process on port 0 against the real PostgreSQL, runs its
// migrations in a throwaway schema, answers its probes; and a bad environment stops the real
// process with a line naming the variable.
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { bootstrapService, loadConfig } from '@lucy/platform';
import { deleteServiceQueues, throwawayNames } from '@lucy/testing';
import { gatewayConfigSchema } from '../src/config.js';
import { GatewayModule } from '../src/gateway.module.js';

// A queue of its own: the shared `gateway` queue collects every event other runs publish.
const { service, schema } = throwawayNames('gateway');

describe('gateway skeleton', () => {
  const config = loadConfig(gatewayConfigSchema, {
    ...process.env,
    SERVICE_NAME: service,
    DB_SCHEMA: schema,
    LOG_LEVEL: 'warn',
  });
  const db = new pg.Client({ connectionString: config.DATABASE_URL });
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await bootstrapService({
      module: GatewayModule,
      config,
      port: 0,
      logging: { destination: new Writable({ write: (_c, _e, done) => done() }) },
    });
    url = await app.getUrl();
    await db.connect();
  });

  afterAll(async () => {
    await app?.close();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
    await deleteServiceQueues(service, config.RETRY_DELAYS_MS, config.RABBITMQ_URL);
  });

  it('has the defaults of the gateway', () => {
    expect(loadConfig(gatewayConfigSchema, {})).toMatchObject({
      SERVICE_NAME: 'gateway',
      PORT: 3000,
      DB_SCHEMA: 'gateway',
    });
  });

  it('ran its migrations in its own schema', async () => {
    const { rows } = await db.query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [schema],
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'auditoria',
        'inbox',
        'lote',
        'migrations',
        'outbox',
        'workflow',
        'workflow_paso',
        'api_token',
        'tarea',
        'configuracion',
        'breaker_estado',
      ]),
    );
  });

  it('answers /health/live, /health/ready and /metrics', async () => {
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
    const metrics = await fetch(`${url}/metrics`);
    expect(await metrics.text()).toContain(`process_resident_memory_bytes{service="${service}"}`);
  });

  it('echoes the caller’s correlation id', async () => {
    const res = await fetch(`${url}/health/live`, { headers: { 'x-correlation-id': 'boot-test-1' } });
    expect(res.headers.get('x-correlation-id')).toBe('boot-test-1');
  });

  it('refuses to start with a malformed variable, naming it, and exits 1', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', 'apps/gateway/src/main.ts'],
      {
        env: { ...process.env, RABBITMQ_URL: 'http://broker', DB_POOL_SIZE: 'lots' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(1);
    const line = JSON.parse(run.stderr.trim().split('\n').at(-1)!);
    expect(line).toMatchObject({ level: 'fatal', service: 'gateway' });
    expect(line.msg).toContain('RABBITMQ_URL: must be an amqp:// or amqps:// URL');
    expect(line.msg).toContain('DB_POOL_SIZE: must be an integer');
  });
});
