// Lucy as production runs it: every service with its own broker user (the definitions
// `npm run rabbitmq:definitions` writes, imported with rabbitmqctl) and its own database role
// (deploy/postgres/bootstrap.sh), no guest, no superuser; a small SIAL cohort onboarded end to end.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { brokerPasswordVariable, definitionsFromEnv } from '@lucy/messaging';
import { getJson, waitFor } from '@lucy/testing';
import { ROOT, SERVICES, startStack, type ServiceName, type Stack } from '../tools/stack.js';
import { BASE_PG } from '../tools/isolation.js';
import { e2eEnvironment, type E2eEnvironment } from './support/environment.js';
import { gatewayApi } from './support/gateway-api.js';

const run = promisify(execFile);
const COHORT = 6;
/** DB_SCHEMA of each service (apps/<service>/src/config.ts), as deploy/postgres/bootstrap.sh names roles. */
const SCHEMA: Record<ServiceName, string> = {
  gateway: 'gateway',
  'ingest-service': 'ingest',
  'teams-service': 'teams',
  'moodle-service': 'moodle',
  'mail-service': 'mail',
};
const USER_PREFIX = 'lucy-e2e-lp-';
const ROLE_PREFIX = 'lucy_e2e_lp_';
const passwords = Object.fromEntries(SERVICES.map((s) => [s, randomBytes(18).toString('hex')]));
let env: E2eEnvironment;
let stack: Stack;
const gw = gatewayApi(() => stack);

function brokerUrl(service: ServiceName): string {
  const url = new URL(env.rabbitmqUrl);
  url.username = `${USER_PREFIX}${service}`;
  url.password = passwords[service]!;
  return url.toString();
}

function databaseUrl(service: ServiceName): string {
  const url = new URL(env.databaseUrl);
  url.username = `${ROLE_PREFIX}${SCHEMA[service]}`;
  url.password = passwords[service]!;
  return url.toString();
}

async function asSuperuser<T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(BASE_PG);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  env = await e2eEnvironment('least-privilege');
  const vhost = decodeURIComponent(new URL(env.rabbitmqUrl).pathname.slice(1));
  const dir = mkdtempSync(join(tmpdir(), 'lucy-e2e-definitions-'));
  try {
    const definitions = definitionsFromEnv(
      {
        RABBITMQ_VHOST: vhost,
        RABBITMQ_USER_PREFIX: USER_PREFIX,
        ...Object.fromEntries(SERVICES.map((s) => [brokerPasswordVariable(s), passwords[s]])),
      },
      SERVICES,
      'gateway',
    );
    writeFileSync(join(dir, 'definitions.json'), JSON.stringify(definitions));
    await run('rabbitmqctl', ['import_definitions', join(dir, 'definitions.json')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pgUrl = new URL(env.databaseUrl);
  await run('sh', [join(ROOT, 'deploy', 'postgres', 'bootstrap.sh')], {
    env: {
      PATH: process.env.PATH,
      PGHOST: pgUrl.hostname,
      PGPORT: pgUrl.port || '5432',
      PGUSER: decodeURIComponent(pgUrl.username) || 'postgres',
      PGPASSWORD: decodeURIComponent(pgUrl.password),
      LUCY_DATABASE: pgUrl.pathname.slice(1),
      LUCY_ROLE_PREFIX: ROLE_PREFIX,
      ...Object.fromEntries(
        SERVICES.map((s) => [`POSTGRES_PASSWORD_${s.toUpperCase().replaceAll('-', '_')}`, passwords[s]]),
      ),
    },
  });
  stack = await startStack({
    portBase: 6080,
    varDir: join(ROOT, 'var', 'e2e-least-privilege'),
    env: {
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/11`,
      RETRY_DELAYS_MS: '200,500,1000',
      LOG_LEVEL: 'info',
    },
    serviceEnv: {
      sandbox: { SANDBOX_SIAL_COHORT: String(COHORT), SANDBOX_SIAL_SEED: '2041' },
      ...Object.fromEntries(
        SERVICES.map((s) => [s, { RABBITMQ_URL: brokerUrl(s), DATABASE_URL: databaseUrl(s) }]),
      ),
    },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await env?.dispose();
  for (const s of SERVICES) await run('rabbitmqctl', ['delete_user', `${USER_PREFIX}${s}`]).catch(() => undefined);
  const database = new URL(env.databaseUrl).pathname.slice(1);
  await asSuperuser('postgres', async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    for (const s of SERVICES) await c.query(`DROP ROLE IF EXISTS "${ROLE_PREFIX}${SCHEMA[s]}"`);
  });
}, 60_000);

describe('least privilege, end to end', () => {
  it('onboards a SIAL cohort with every service on its own broker user and database role', async () => {
    const { loteId } = await gw.post<{ loteId: string }>('/sync/sial');
    const p = await waitFor(
      async () => {
        const l = await gw.get(`/lotes/${loteId}`);
        return l.estado === 'terminado' && l;
      },
      'the lote to finish',
      { timeoutMs: 120_000, everyMs: 500, retryErrors: true },
    );
    expect(p.total).toBeGreaterThan(0);
    expect(p.fallidos).toBe(0);
    expect(p.completados + p.conAvisos).toBe(p.total);
    const users = await getJson<{ count: number }>(`${stack.urls.sandboxAdmin}/_admin/graph/users`);
    expect(users.count).toBe(p.total);
  });

  it('connects each service as its own role, none as a superuser, each migrated into its own schema', async () => {
    const database = new URL(env.databaseUrl).pathname.slice(1);
    const { rows } = await asSuperuser(database, (c) =>
      c.query(
        `SELECT DISTINCT a.usename AS rol, r.rolsuper AS superusuario
           FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
          WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() ORDER BY 1`,
      ),
    );
    expect(rows).toEqual(
      SERVICES.map((s) => `${ROLE_PREFIX}${SCHEMA[s]}`)
        .sort()
        .map((rol) => ({ rol, superusuario: false })),
    );
    const owners = await asSuperuser(database, (c) =>
      c.query(`SELECT DISTINCT schemaname, tableowner FROM pg_tables WHERE tableowner LIKE '${ROLE_PREFIX}%'`),
    );
    for (const s of SERVICES)
      expect(owners.rows).toContainEqual({ schemaname: SCHEMA[s], tableowner: `${ROLE_PREFIX}${SCHEMA[s]}` });
    expect(owners.rows).toHaveLength(SERVICES.length);
  });

  it("connects each service to the broker as its own user", async () => {
    const vhost = decodeURIComponent(new URL(env.rabbitmqUrl).pathname.slice(1));
    const { stdout } = await run('rabbitmqctl', ['list_connections', '-q', '--no-table-headers', 'vhost', 'user']);
    const users = new Set(
      stdout
        .split('\n')
        .map((line) => line.split('\t'))
        .filter(([v]) => v === vhost)
        .map(([, user]) => user),
    );
    expect([...users].sort()).toEqual(SERVICES.map((s) => `${USER_PREFIX}${s}`).sort());
  });
});
