// The tests' own RabbitMQ vhost (lucy-test), so what integration tests publish never reaches the
// durable queues of a Lucy started with `npm start` on the default vhost (they would be consumed at its
// next start: pulls, accounts, emails nobody asked for). The end-to-end suites make a vhost each from
// the same broker (e2e/support/environment.ts). Without rabbitmqctl (a broker in a container) the tests
// share the vhost RABBITMQ_URL names.
import { execFileSync } from 'node:child_process';

export const TEST_VHOST = 'lucy-test';

export default function globalSetup() {
  const base = new URL(process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  if (base.pathname.length > 1) return; // a vhost chosen by whoever runs the tests
  try {
    const vhosts = execFileSync('rabbitmqctl', ['-q', 'list_vhosts', 'name'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    if (
      !vhosts
        .split('\n')
        .map((l) => l.trim())
        .includes(TEST_VHOST)
    )
      execFileSync('rabbitmqctl', ['add_vhost', TEST_VHOST], { stdio: 'ignore' });
    execFileSync(
      'rabbitmqctl',
      ['set_permissions', '-p', TEST_VHOST, decodeURIComponent(base.username || 'guest'), '.*', '.*', '.*'],
      { stdio: 'ignore' },
    );
  } catch {
    return;
  }
  base.pathname = `/${TEST_VHOST}`;
  process.env.RABBITMQ_URL = base.toString();
}
