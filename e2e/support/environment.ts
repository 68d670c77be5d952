// The end-to-end suite's own broker vhost and database, so it neither sees nor disturbs anything else
// on the machine (a developer's `npm start`, integration tests' leftovers).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const BASE_AMQP = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const BASE_PG = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lucy';

export interface E2eEnvironment {
  rabbitmqUrl: string;
  databaseUrl: string;
  dispose(): Promise<void>;
}

export async function e2eEnvironment(name: string): Promise<E2eEnvironment> {
  const vhost = `lucy-e2e-${name}`;
  let rabbitmqUrl = BASE_AMQP;
  try {
    await run('rabbitmqctl', ['delete_vhost', vhost]).catch(() => undefined);
    await run('rabbitmqctl', ['add_vhost', vhost]);
    await run('rabbitmqctl', ['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
    const url = new URL(BASE_AMQP); // whatever vhost it names (the tests' own, say), this suite uses its own
    url.pathname = `/${encodeURIComponent(vhost)}`;
    rabbitmqUrl = url.toString();
  } catch {
    // No rabbitmqctl here (a broker in a container): share the default vhost.
  }
  const dbName = `lucy_e2e_${name.replace(/\W/g, '_')}`;
  const admin = new URL(BASE_PG);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await client.end();
  const db = new URL(BASE_PG);
  db.pathname = `/${dbName}`;
  return {
    rabbitmqUrl,
    databaseUrl: db.toString(),
    async dispose() {
      if (rabbitmqUrl !== BASE_AMQP) await run('rabbitmqctl', ['delete_vhost', vhost]).catch(() => undefined);
    },
  };
}
