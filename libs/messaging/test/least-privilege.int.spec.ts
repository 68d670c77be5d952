// The broker's users as production gets them (definitionsFromEnv, what `npm run rabbitmq:definitions`
// writes), imported into a vhost of this suite's own with `rabbitmqctl import_definitions`: each service
// runs its own queues with the transport itself, and is refused (403 ACCESS_REFUSED) everything else.
import amqp, { type Channel } from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  brokerPasswordVariable,
  definitionsFromEnv,
  messagingDefaults,
  MessagingRuntime,
  PermanentError,
} from '../src/index.js';
import { importDefinitions, rabbitmqctl } from '@lucy/testing';
import { log, Ping, RABBITMQ_URL, waitFor } from './support/harness.js';

const SERVICES = ['ingest-service', 'teams-service', 'moodle-service', 'mail-service', 'gateway'];
const id = randomUUID().slice(0, 8);
const vhost = `lucy-least-privilege-${id}`;
const prefix = `lp-${id}-`;
const passwords = Object.fromEntries(SERVICES.map((s) => [s, randomBytes(18).toString('hex')]));

/** The URL a service connects with: its own user, on this suite's vhost. */
function urlOf(service: string): string {
  const url = new URL(RABBITMQ_URL);
  url.username = `${prefix}${service}`;
  url.password = passwords[service]!;
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}

const runtimes: MessagingRuntime[] = [];
async function startAs(service: string, setup: (rt: MessagingRuntime) => void = () => undefined) {
  const rt = new MessagingRuntime(
    {
      ...messagingDefaults(service, urlOf(service)),
      retryDelaysMs: [100, 300],
      inbox: false,
      outbox: false,
      shutdownTimeoutMs: 2000,
    },
    { log },
  );
  setup(rt);
  await rt.start();
  runtimes.push(rt);
  return rt;
}

/**
 * Does `act` as `service`'s user and returns how the broker answered: the channel's closing error (a
 * refusal closes the channel, whether it answers a call or a publish), or 'allowed' if none came.
 */
async function attempt(service: string, act: (ch: Channel) => unknown): Promise<string> {
  const conn = await amqp.connect(urlOf(service));
  try {
    const ch = await conn.createChannel();
    const closed = new Promise<string>((resolve) => ch.once('error', (err: Error) => resolve(err.message)));
    const acted = Promise.resolve()
      .then(() => act(ch))
      .then(
        () => new Promise<string>((resolve) => setTimeout(() => resolve('allowed'), 500)),
        () => closed,
      );
    return await Promise.race([closed, acted]);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

const REFUSED = /403 \(ACCESS-REFUSED\)/;
const received: number[] = [];
let acceptNegatives = false;

beforeAll(async () => {
  const env = {
    RABBITMQ_VHOST: vhost,
    RABBITMQ_USER_PREFIX: prefix,
    ...Object.fromEntries(SERVICES.map((s) => [brokerPasswordVariable(s), passwords[s]])),
  };
  await importDefinitions(definitionsFromEnv(env, SERVICES, 'gateway'));
  // Each service declares its own topology as its own user; teams-service parks what it cannot take.
  await startAs('teams-service', (rt) =>
    rt.handle(Ping, (p) => {
      if (p.n < 0 && !acceptNegatives) throw new PermanentError('negative', 'negativo');
      received.push(p.n);
    }),
  );
  await startAs('moodle-service', (rt) => rt.handle(Ping, () => undefined));
  await startAs('gateway');
}, 60_000);

afterAll(async () => {
  for (const rt of runtimes) await rt.stop().catch(() => undefined);
  await rabbitmqctl('delete_vhost', vhost).catch(() => undefined);
  for (const s of SERVICES) await rabbitmqctl('delete_user', `${prefix}${s}`).catch(() => undefined);
}, 60_000);

const gateway = () => runtimes[2]!;

describe('broker users, one per service', () => {
  it('runs a service on its own queues: it declares them, consumes, publishes, parks; the gateway replays', async () => {
    await gateway().publish(Ping, { n: 1 });
    await gateway().publish(Ping, { n: -1 });
    await waitFor(() => received.includes(1), 10_000, 'teams-service to take its message');
    const parked = await waitFor(async () => {
      const list = await gateway().parked.list('teams-service');
      return list.length === 1 && list;
    });
    expect(parked[0]).toMatchObject({ queue: 'teams-service', errorCode: 'negativo' });
    acceptNegatives = true;
    expect(await gateway().parked.replay('teams-service')).toBe(1);
    await waitFor(() => received.includes(-1), 10_000, 'the replayed message');
    expect(await gateway().parked.count('teams-service')).toBe(0);
  });

  it("refuses a service another service's queue: consume, get, purge, delete, declare", async () => {
    expect(await attempt('teams-service', (ch) => ch.consume('moodle-service', () => undefined))).toMatch(REFUSED);
    expect(await attempt('teams-service', (ch) => ch.get('moodle-service.parked'))).toMatch(REFUSED);
    expect(await attempt('teams-service', (ch) => ch.purgeQueue('moodle-service'))).toMatch(REFUSED);
    expect(await attempt('teams-service', (ch) => ch.deleteQueue('moodle-service'))).toMatch(REFUSED);
    expect(await attempt('teams-service', (ch) => ch.assertQueue('moodle-service.copia'))).toMatch(REFUSED);
    // The same calls on its own queue are its to make.
    expect(await attempt('teams-service', (ch) => ch.get('teams-service.parked'))).toBe('allowed');
  });

  it("refuses a service the exchanges it does not publish to: the commands, and the broker's own", async () => {
    // Only the gateway sends commands: another service cannot order an enrolment or a SIAL pull.
    const command = (ch: Channel) => ch.publish('lucy.commands', 'moodle.enrolar.v1', Buffer.from('{}'));
    expect(await attempt('teams-service', command)).toMatch(REFUSED);
    expect(await attempt('gateway', command)).toBe('allowed');
    for (const exchange of ['amq.topic', 'amq.direct', 'amq.fanout', 'amq.headers'])
      expect(await attempt('teams-service', (ch) => ch.publish(exchange, 'x', Buffer.from('{}')))).toMatch(REFUSED);
    // Events it publishes; nor may it bind its own queue to an exchange of the broker's, to listen there.
    expect(await attempt('teams-service', (ch) => ch.publish('lucy.events', 'x.v1', Buffer.from('{}')))).toBe(
      'allowed',
    );
    expect(await attempt('teams-service', (ch) => ch.bindQueue('teams-service', 'amq.topic', '#'))).toMatch(REFUSED);
  });

  it("gives the gateway the parking queues and nothing more of another service's", async () => {
    expect(await attempt('gateway', (ch) => ch.get('moodle-service.parked'))).toBe('allowed');
    expect(await attempt('gateway', (ch) => ch.consume('moodle-service', () => undefined))).toMatch(REFUSED);
    expect(await attempt('gateway', (ch) => ch.deleteQueue('moodle-service.parked'))).toMatch(REFUSED);
    // Only the gateway: another service cannot browse the parking queues.
    expect(await attempt('ingest-service', (ch) => ch.get('teams-service.parked'))).toMatch(REFUSED);
  });
});
