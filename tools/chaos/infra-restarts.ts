// Restarting the machine's RabbitMQ and PostgreSQL. Both stop the server for EVERY user of it (other
// vhosts, other databases), which is why the flags that ask for them default to 0.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The whole broker's applications, as an operator's restart does (the Erlang node stays up). */
export async function restartBroker(): Promise<void> {
  await run('rabbitmqctl', ['stop_app']);
  await run('rabbitmqctl', ['start_app']);
  await run('rabbitmqctl', ['await_startup']);
}

/** `version/name` of the Debian cluster listening on the port of `databaseUrl`. */
export async function pgClusterOf(databaseUrl: string): Promise<string> {
  const port = new URL(databaseUrl).port || '5432';
  // pg_lsclusters -h: "15 main 5432 online postgres /var/lib/... /var/log/..."
  const { stdout } = await run('pg_lsclusters', ['-h']);
  const line = stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[2] === port);
  if (!line)
    throw new Error(`no PostgreSQL cluster listed by pg_lsclusters on port ${port}; pass --pg-cluster version/name`);
  return `${line[0]}/${line[1]}`;
}

export async function restartPostgres(cluster: string): Promise<void> {
  const [version, name] = cluster.split('/');
  await run('pg_ctlcluster', [version!, name!, 'restart']);
}
