// The topic permissions on lucy.events, as production gets them (definitionsFromEnv with libs/contracts'
// eventosQuePublica), imported into a vhost of this suite's own: every service writes to the same topic
// exchange, and each may put on it only the routing keys of the events it owns.
import amqp from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  CuentaTeamsCreada,
  defineEvent,
  DiferenciasEncontradas,
  EmailEnviado,
  eventosQuePublica,
  MoodleEnrolado,
  SincronizarSial,
} from '@lucy/contracts';
import { brokerPasswordVariable, definitionsFromEnv, messagingDefaults, MessagingRuntime } from '../src/index.js';
import { importDefinitions, rabbitmqctl } from '@lucy/testing';
import { log, RABBITMQ_URL, waitFor } from './support/harness.js';

const SERVICES = ['ingest-service', 'teams-service', 'moodle-service', 'mail-service', 'gateway'];
const id = randomUUID().slice(0, 8);
const vhost = `lucy-topics-${id}`;
const prefix = `lpt-${id}-`;
const passwords = Object.fromEntries(SERVICES.map((s) => [s, randomBytes(18).toString('hex')]));

function urlOf(service: string): string {
  const url = new URL(RABBITMQ_URL);
  url.username = `${prefix}${service}`;
  url.password = passwords[service]!;
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}

/** Publishes as `service`'s user on a confirm channel: 'allowed', or the broker's refusal (it closes the channel). */
async function publishAs(service: string, exchange: string, routingKey: string): Promise<string> {
  const conn = await amqp.connect(urlOf(service));
  try {
    const ch = await conn.createConfirmChannel();
    const closed = new Promise<string>((resolve) => ch.once('error', (err: Error) => resolve(err.message)));
    const confirmed = new Promise<string>((resolve) =>
      ch.publish(exchange, routingKey, Buffer.from('{}'), {}, (err) => resolve(err ? String(err) : 'allowed')),
    );
    return await Promise.race([closed, confirmed.then((r) => (r === 'allowed' ? r : closed))]);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

const REFUSED = /403 \(ACCESS-REFUSED\)/;
let runtime: MessagingRuntime | undefined;

beforeAll(async () => {
  const env = {
    RABBITMQ_VHOST: vhost,
    RABBITMQ_USER_PREFIX: prefix,
    ...Object.fromEntries(SERVICES.map((s) => [brokerPasswordVariable(s), passwords[s]])),
  };
  await importDefinitions(definitionsFromEnv(env, SERVICES, 'gateway', eventosQuePublica));
  // The exchanges as a service declares them; binding its queue to others' events is reading, which stays open.
  runtime = new MessagingRuntime(
    {
      ...messagingDefaults('moodle-service', urlOf('moodle-service')),
      inbox: false,
      outbox: false,
      shutdownTimeoutMs: 2000,
    },
    { log },
  );
  runtime.handle(CuentaTeamsCreada, () => undefined);
  await runtime.start();
}, 60_000);

afterAll(async () => {
  await runtime?.stop().catch(() => undefined);
  await rabbitmqctl('delete_vhost', vhost).catch(() => undefined);
  for (const s of SERVICES) await rabbitmqctl('delete_user', `${prefix}${s}`).catch(() => undefined);
}, 60_000);

describe('topic permissions on lucy.events', () => {
  it("refuses a service another service's event: teams-service cannot announce an enrolment, nor moodle-service an account", async () => {
    expect(await publishAs('teams-service', 'lucy.events', MoodleEnrolado.routingKey)).toMatch(REFUSED);
    expect(await publishAs('moodle-service', 'lucy.events', CuentaTeamsCreada.routingKey)).toMatch(REFUSED);
    expect(await publishAs('gateway', 'lucy.events', EmailEnviado.routingKey)).toMatch(REFUSED);
    expect(await publishAs('mail-service', 'lucy.events', 'cualquier.cosa.v1')).toMatch(REFUSED);
  });

  it('lets each publish its own events, and both account systems the reconciliation they share', async () => {
    expect(await publishAs('teams-service', 'lucy.events', CuentaTeamsCreada.routingKey)).toBe('allowed');
    expect(await publishAs('moodle-service', 'lucy.events', MoodleEnrolado.routingKey)).toBe('allowed');
    expect(await publishAs('mail-service', 'lucy.events', EmailEnviado.routingKey)).toBe('allowed');
    for (const s of ['teams-service', 'moodle-service'])
      expect(await publishAs(s, 'lucy.events', DiferenciasEncontradas.routingKey)).toBe('allowed');
  });

  it('keeps a service publishing after the broker refused it one: its publishing channel is opened again', async () => {
    // Stand-ins with the routing keys of one event moodle-service does not own and one it does.
    const ajeno = defineEvent({
      name: CuentaTeamsCreada.name,
      version: CuentaTeamsCreada.version,
      schema: z.object({}),
    });
    const propio = defineEvent({ name: MoodleEnrolado.name, version: MoodleEnrolado.version, schema: z.object({}) });
    await expect(runtime!.publish(ajeno, {})).rejects.toThrow(/ACCESS-REFUSED|closed/);
    await waitFor(
      () =>
        runtime!.publish(propio, {}).then(
          () => true,
          () => false,
        ),
      10_000,
      'a publish after the refusal',
    );
  });

  it('leaves lucy.commands to the exchange permission: the gateway sends any command, no other service any', async () => {
    expect(await publishAs('gateway', 'lucy.commands', SincronizarSial.routingKey)).toBe('allowed');
    expect(await publishAs('ingest-service', 'lucy.commands', SincronizarSial.routingKey)).toMatch(REFUSED);
  });
});
