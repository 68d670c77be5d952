// A suite's stack with every service on its own broker user and database role, as production runs it:
// the users from definitionsFromEnv (what `npm run rabbitmq:definitions` writes: each service's queues,
// and on lucy.events only its own events' routing keys), imported with rabbitmqctl into the suite's
// vhost; the roles from deploy/postgres/bootstrap.sh on the suite's database.
// Names and passwords of the suite's own; dispose() removes the users and the roles.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { eventosQuePublica } from '@lucy/contracts';
import { brokerPasswordVariable, definitionsFromEnv } from '@lucy/messaging';
import { importDefinitions, rabbitmqctl } from '@lucy/testing';
import { ROOT, SERVICES, type ServiceName } from '../../tools/stack.js';

const run = promisify(execFile);

/** DB_SCHEMA of each service (apps/<service>/src/config.ts): bootstrap.sh names a role after it. */
export const SCHEMA: Record<ServiceName, string> = {
  gateway: 'gateway',
  'ingest-service': 'ingest',
  'teams-service': 'teams',
  'moodle-service': 'moodle',
  'mail-service': 'mail',
};

export interface LeastPrivilege {
  /** Each service's RABBITMQ_URL and DATABASE_URL, for startStack's serviceEnv. */
  serviceEnv: Record<ServiceName, Record<string, string>>;
  userOf(service: ServiceName): string;
  roleOf(service: ServiceName): string;
  dispose(): Promise<void>;
}

const suffixOf = (service: string) => service.toUpperCase().replaceAll('-', '_');

/** `env`: the suite's vhost and database, as guest and the postgres superuser (environment.ts). */
export async function leastPrivilege(
  env: { rabbitmqUrl: string; databaseUrl: string },
  name: string,
): Promise<LeastPrivilege> {
  const userPrefix = `lucy-e2e-${name}-`;
  const rolePrefix = `lucy_e2e_${name.replace(/\W/g, '_')}_`;
  const userOf = (s: ServiceName) => `${userPrefix}${s}`;
  const roleOf = (s: ServiceName) => `${rolePrefix}${SCHEMA[s]}`;
  const passwords = Object.fromEntries(SERVICES.map((s) => [s, randomBytes(18).toString('hex')]));
  const broker = new URL(env.rabbitmqUrl);
  const database = new URL(env.databaseUrl);

  const definitions = definitionsFromEnv(
    {
      RABBITMQ_VHOST: decodeURIComponent(broker.pathname.slice(1)) || '/',
      RABBITMQ_USER_PREFIX: userPrefix,
      ...Object.fromEntries(SERVICES.map((s) => [brokerPasswordVariable(s), passwords[s]])),
    },
    SERVICES,
    'gateway',
    eventosQuePublica,
  );
  await importDefinitions(definitions);
  await run('sh', [join(ROOT, 'deploy', 'postgres', 'bootstrap.sh')], {
    env: {
      PATH: process.env.PATH,
      PGHOST: database.hostname,
      PGPORT: database.port || '5432',
      PGUSER: decodeURIComponent(database.username) || 'postgres',
      PGPASSWORD: decodeURIComponent(database.password),
      LUCY_DATABASE: database.pathname.slice(1),
      LUCY_ROLE_PREFIX: rolePrefix,
      ...Object.fromEntries(SERVICES.map((s) => [`POSTGRES_PASSWORD_${suffixOf(s)}`, passwords[s]])),
    },
  });

  const serviceEnv = {} as LeastPrivilege['serviceEnv'];
  for (const s of SERVICES) {
    const amqp = new URL(broker);
    amqp.username = userOf(s);
    amqp.password = passwords[s]!;
    const postgres = new URL(database);
    postgres.username = roleOf(s);
    postgres.password = passwords[s]!;
    serviceEnv[s] = { RABBITMQ_URL: amqp.toString(), DATABASE_URL: postgres.toString() };
  }

  return {
    serviceEnv,
    userOf,
    roleOf,
    async dispose() {
      for (const s of SERVICES) await rabbitmqctl('delete_user', userOf(s)).catch(() => undefined);
      // What they own in the suite's database goes with them (it is made afresh at the next run anyway),
      // and so does their CONNECT on it; a suite that dropped its database already leaves only the roles.
      const roles = SERVICES.map((s) => `"${roleOf(s)}"`).join(', ');
      await asSuperuser(env.databaseUrl, (c) => c.query(`DROP OWNED BY ${roles} CASCADE`)).catch((err) => {
        if ((err as { code?: string }).code !== '3D000') throw err; // invalid_catalog_name: no database
      });
      const cluster = new URL(env.databaseUrl);
      cluster.pathname = '/postgres';
      await asSuperuser(cluster.toString(), (c) => c.query(`DROP ROLE IF EXISTS ${roles}`));
    },
  };
}

async function asSuperuser<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `base`'s per-service environment with `extra`'s laid over it, service by service. */
export function withServiceEnv<K extends string>(
  base: Partial<Record<K, Record<string, string>>>,
  extra: Partial<Record<K, Record<string, string>>> | undefined,
): Partial<Record<K, Record<string, string>>> {
  if (!extra) return base;
  const out = { ...base };
  for (const [k, v] of Object.entries(extra) as [K, Record<string, string>][]) out[k] = { ...(base[k] ?? {}), ...v };
  return out;
}
