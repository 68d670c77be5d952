// A RabbitMQ vhost and a PostgreSQL database of one's own, so a run (the e2e suites, a bench, the chaos
// run) neither sees nor disturbs a Lucy started with `npm start` or the tests' `lucy-test` vhost: its
// queues, outbox rows and workflows are its own. A vhost is made with rabbitmqctl when it is on this
// machine, else through the management HTTP API (a broker in a container with the management plugin).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const BASE_AMQP = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const BASE_PG = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lucy';
const MANAGEMENT = process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://127.0.0.1:15672';

/** BASE_AMQP with its vhost replaced by `vhost`. */
export function amqpUrlFor(vhost: string): string {
  const url = new URL(BASE_AMQP);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}

/** BASE_PG with its database replaced by `name` (each service creates it if missing). */
export function databaseUrlFor(name: string): string {
  const url = new URL(BASE_PG);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Deletes `vhost` if it exists and makes it again, empty, with every permission for BASE_AMQP's user. */
export async function freshVhost(vhost: string): Promise<void> {
  const user = decodeURIComponent(new URL(BASE_AMQP).username || 'guest');
  try {
    await run('rabbitmqctl', ['delete_vhost', vhost]).catch(() => undefined);
    await run('rabbitmqctl', ['add_vhost', vhost]);
    await run('rabbitmqctl', ['set_permissions', '-p', vhost, user, '.*', '.*', '.*']);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const v = encodeURIComponent(vhost);
  await management('DELETE', `/api/vhosts/${v}`, undefined, [404]);
  await management('PUT', `/api/vhosts/${v}`);
  await management('PUT', `/api/permissions/${v}/${encodeURIComponent(user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
}

export async function deleteVhost(vhost: string): Promise<void> {
  try {
    await run('rabbitmqctl', ['delete_vhost', vhost]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return; // already gone
    await management('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`, undefined, [404]);
  }
}

/** The management API with BASE_AMQP's credentials (the management plugin accepts the same users). */
async function management(method: string, path: string, body?: unknown, alsoOk: number[] = []): Promise<void> {
  const amqp = new URL(BASE_AMQP);
  const auth = Buffer.from(
    `${decodeURIComponent(amqp.username || 'guest')}:${decodeURIComponent(amqp.password || 'guest')}`,
  ).toString('base64');
  const res = await fetch(`${MANAGEMENT}${path}`, {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok && !alsoOk.includes(res.status))
    throw new Error(`RabbitMQ management ${method} ${path}: ${res.status} ${await res.text()}`);
}

/** Drops the database `url` names, closing whatever is still connected to it. */
export async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
