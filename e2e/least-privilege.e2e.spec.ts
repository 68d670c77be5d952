// Lucy as production runs it: every service with its own broker user and database role
// (support/least-privilege.ts: the definitions `npm run rabbitmq:definitions` writes, topic permissions
// included, and deploy/postgres/bootstrap.sh), no guest, no superuser; a small SIAL cohort onboarded end
// to end. Every other suite runs the services the same way; this one checks that they do.
import { join } from 'node:path';
import pg from 'pg';
import { eventosQuePublica, MoodleEnrolado } from '@lucy/contracts';
import { rabbitmqctl } from '@lucy/testing';
import { ROOT, SERVICES, startStack, type Stack } from '../tools/stack.js';
import { e2eEnvironment, type E2eEnvironment } from './support/environment.js';
import { expectSialCohortOnboarded } from './support/cohort.js';
import { gatewayApi } from './support/gateway-api.js';
import { SCHEMA, type LeastPrivilege } from './support/least-privilege.js';

const COHORT = 6;
let env: E2eEnvironment;
let lp: LeastPrivilege;
let stack: Stack;

async function asSuperuser<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: env.databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  env = await e2eEnvironment('least-privilege');
  lp = env.accounts!;
  stack = await startStack({
    portBase: 6080,
    varDir: join(ROOT, 'var', 'e2e-least-privilege'),
    // Five services compiling on load at once: a busy machine takes more than the default minute.
    readyTimeoutMs: 240_000,
    env: {
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/11`,
      RETRY_DELAYS_MS: '200,500,1000',
      LOG_LEVEL: 'info',
    },
    serviceEnv: env.serviceEnv({ sandbox: { SANDBOX_SIAL_COHORT: String(COHORT), SANDBOX_SIAL_SEED: '2041' } }),
  });
}, 420_000);

afterAll(async () => {
  await stack?.stop();
  await env?.dispose();
}, 60_000);

describe('least privilege, end to end', () => {
  it('onboards a SIAL cohort with every service on its own broker user and database role', () =>
    expectSialCohortOnboarded(
      gatewayApi(() => stack),
      {
        admin: stack.urls.sandboxAdmin!,
        mailbox: stack.urls.mailbox!,
      },
    ));

  it('connects each service as its own role, none a superuser, each migrated into its own schema', async () => {
    const sessions = await asSuperuser((c) =>
      c.query(
        `SELECT DISTINCT a.usename AS rol, r.rolsuper AS superusuario
           FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
          WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() ORDER BY 1`,
      ),
    );
    expect(sessions.rows).toEqual(
      SERVICES.map(lp.roleOf)
        .sort()
        .map((rol) => ({ rol, superusuario: false })),
    );
    const owners = await asSuperuser((c) =>
      c.query(`SELECT DISTINCT schemaname, tableowner FROM pg_tables WHERE schemaname = ANY($1)`, [
        Object.values(SCHEMA),
      ]),
    );
    expect(owners.rows).toHaveLength(SERVICES.length);
    for (const s of SERVICES) expect(owners.rows).toContainEqual({ schemaname: SCHEMA[s], tableowner: lp.roleOf(s) });
  });

  it('connects each service to the broker as its own user', async () => {
    const vhost = decodeURIComponent(new URL(env.rabbitmqUrl).pathname.slice(1));
    const stdout = await rabbitmqctl('list_connections', '-q', '--no-table-headers', 'vhost', 'user');
    const users = new Set(
      stdout
        .split('\n')
        .map((line) => line.split('\t'))
        .filter(([v]) => v === vhost)
        .map(([, user]) => user),
    );
    expect([...users].sort()).toEqual(SERVICES.map(lp.userOf).sort());
  });

  it('lets each service publish on lucy.events only the routing keys of its own events', async () => {
    const vhost = decodeURIComponent(new URL(env.rabbitmqUrl).pathname.slice(1));
    const stdout = await rabbitmqctl('list_topic_permissions', '-q', '--no-table-headers', '-p', vhost);
    const rows = stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows.map(([user, exchange]) => `${user} ${exchange}`).sort()).toEqual(
      SERVICES.map((s) => `${lp.userOf(s)} lucy.events`).sort(),
    );
    for (const s of SERVICES) {
      const write = new RegExp(rows.find(([user]) => user === lp.userOf(s))![2]!);
      for (const key of eventosQuePublica(s)) expect(write.test(key)).toBe(true);
    }
    const teams = new RegExp(rows.find(([user]) => user === lp.userOf('teams-service'))![2]!);
    expect(teams.test(MoodleEnrolado.routingKey)).toBe(false);
  });
});
