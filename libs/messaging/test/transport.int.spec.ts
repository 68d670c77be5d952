// libs/messaging against the real RabbitMQ and PostgreSQL: validation, parking, retries, inbox, correlation.
import amqp from 'amqplib';
import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { currentCorrelation } from '@lucy/platform';
import { EXCHANGES, PermanentError, TransientError, type MessagingRuntime } from '../src/index.js';
import {
  deleteQueues,
  dropSchema,
  openSchema,
  Pang,
  Ping,
  Pong,
  RABBITMQ_URL,
  runtimeFor,
  uniqueService,
  waitFor,
} from './support/harness.js';

let ds: DataSource;
const started: { rt: MessagingRuntime; service: string }[] = [];

beforeAll(async () => {
  ds = await openSchema();
});
afterEach(async () => {
  for (const { rt, service } of started.splice(0)) {
    await rt.stop();
    await deleteQueues(service);
  }
});
afterAll(async () => dropSchema(ds));

async function start(name: string, setup: (rt: MessagingRuntime) => void, overrides = {}) {
  const service = uniqueService(name);
  const rt = runtimeFor(service, ds, overrides);
  setup(rt);
  await rt.start();
  started.push({ rt, service });
  return { rt, service };
}

async function rawPublish(routingKey: string, body: Buffer | string, props: amqp.Options.Publish = {}) {
  const conn = await amqp.connect(RABBITMQ_URL);
  const ch = await conn.createConfirmChannel();
  ch.publish(EXCHANGES.events, routingKey, Buffer.from(body), { persistent: true, ...props });
  await ch.waitForConfirms();
  await conn.close();
}

const envelope = (type: string, version: number, payload: unknown, messageId = randomUUID()) =>
  JSON.stringify({
    messageId,
    correlationId: 'corr-raw',
    causationId: null,
    occurredAt: new Date().toISOString(),
    type,
    version,
    payload,
  });

describe('libs/messaging transport', () => {
  it('parks a poison message (not JSON, wrong schema, unknown version) with its reason, and goes on with the next', async () => {
    const seen: number[] = [];
    const { rt, service } = await start('poison', (rt) => rt.handle(Ping, async (p) => void seen.push(p.n)));
    await rawPublish(Ping.routingKey, '{not json');
    await rawPublish(Ping.routingKey, envelope('prueba.ping', 1, { n: 'uno' }));
    await rawPublish(Ping.routingKey, envelope('prueba.ping', 7, { n: 1 }));
    await rt.publish(Ping, { n: 42 });

    await waitFor(() => seen.includes(42), 10_000, 'the good message');
    const parked = await waitFor(
      async () => {
        const list = await rt.parked.list(service);
        return list.length === 3 && list;
      },
      10_000,
      'three parked messages',
    );
    const reasons = parked.map((p) => p.error ?? '');
    expect(reasons[0]).toMatch(/not JSON/);
    expect(reasons[1]).toMatch(/invalid prueba\.ping@v1 payload: n:/);
    expect(reasons[2]).toMatch(/no handler for prueba\.ping v7/);
    for (const p of parked) {
      expect(p.queue).toBe(service);
      expect(p.attempts).toBe(1);
      expect(p.firstFailure).toBeTruthy();
      expect(p.lastFailure).toBeTruthy();
    }
    expect(seen).toEqual([42]);
  });

  it('retries a transient failure with growing delays, stops at the limit and parks it', async () => {
    const attempts: number[] = [];
    const { rt, service } = await start('retry', (rt) =>
      rt.handle(Ping, async () => {
        attempts.push(Date.now());
        throw new TransientError('Graph answered 503');
      }),
    );
    await rt.publish(Ping, { n: 1 });
    const [parked] = await waitFor(
      async () => {
        const l = await rt.parked.list(service);
        return l.length === 1 && l;
      },
      15_000,
      'the parked message',
    );
    expect(attempts).toHaveLength(4); // the first try + one per configured delay [100, 300, 700]
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[1]).toBeGreaterThanOrEqual(290);
    expect(gaps[2]).toBeGreaterThanOrEqual(690);
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
    expect(gaps[2]).toBeGreaterThan(gaps[1]);
    expect(parked.attempts).toBe(4);
    expect(parked.error).toMatch(/TransientError: Graph answered 503/);
    expect(Date.parse(parked.lastFailure!)).toBeGreaterThan(Date.parse(parked.firstFailure!));
  });

  it('parks at once an error the handler marks permanent, and tells the handler which attempt it is on', async () => {
    const calls: { attempt: number; last: boolean }[] = [];
    const { rt, service } = await start('permanent', (rt) =>
      rt.handle(Ping, async (_p, ctx) => {
        calls.push({ attempt: ctx.attempt, last: ctx.isLastAttempt });
        throw new PermanentError('UPN domain is not verified', 'Request_BadRequest');
      }),
    );
    await rt.publish(Ping, { n: 1 });
    const [parked] = await waitFor(
      async () => {
        const l = await rt.parked.list(service);
        return l.length === 1 && l;
      },
      10_000,
      'the parked message',
    );
    expect(calls).toEqual([{ attempt: 1, last: false }]);
    expect(parked.errorCode).toBe('Request_BadRequest');
  });

  it('replays a parked message with a fresh retry budget, and discards another', async () => {
    let failing = true;
    const applied: number[] = [];
    const { rt, service } = await start('replay', (rt) =>
      rt.handle(Ping, async (p) => {
        if (failing) throw new PermanentError('Moodle said invalidtoken');
        applied.push(p.n);
      }),
    );
    await rt.publish(Ping, { n: 1 });
    await rt.publish(Ping, { n: 2 });
    const parked = await waitFor(
      async () => {
        const l = await rt.parked.list(service);
        return l.length === 2 && l;
      },
      10_000,
      'two parked',
    );
    failing = false;
    const one = parked.find((p) => JSON.parse(p.body).payload.n === 1)!;
    const two = parked.find((p) => JSON.parse(p.body).payload.n === 2)!;
    expect(await rt.parked.replay(service, one.messageId)).toBe(1);
    await waitFor(() => applied.includes(1), 10_000, 'the replayed message');
    expect(await rt.parked.discard(service, two.messageId)).toBe(1);
    expect(await rt.parked.count(service)).toBe(0);
    expect(applied).toEqual([1]);
  });

  it('applies a message delivered twice only once (inbox)', async () => {
    const schema = (ds.options as { schema: string }).schema;
    const { rt, service } = await start('inbox', (rt) =>
      rt.handle(Ping, async (p, ctx) => {
        await ctx.manager.query(`INSERT INTO "${schema}".effects (message_id, n) VALUES ($1, $2)`, [
          ctx.envelope.messageId,
          p.n,
        ]);
      }),
    );
    const id = randomUUID();
    const body = envelope('prueba.ping', 1, { n: 7 }, id);
    await rawPublish(Ping.routingKey, body, { messageId: id });
    await rawPublish(Ping.routingKey, body, { messageId: id });
    await rt.publish(Ping, { n: 8 }); // a marker that arrives after both copies
    await waitFor(
      async () => (await ds.query(`SELECT 1 FROM "${schema}".effects WHERE n = 8`)).length === 1,
      10_000,
      'the marker',
    );
    await waitFor(async () => (await rt.queueStatus())[0].messages === 0 && (await rt.queueStatus())[0].inFlight === 0);
    const rows = await ds.query(`SELECT count(*)::int AS c FROM "${schema}".effects WHERE message_id = $1`, [id]);
    expect(rows[0].c).toBe(1);
    expect(service).toBeTruthy();
  });

  it("carries correlationId and causationId through two hops, into the handlers' context", async () => {
    const seen: Record<
      string,
      { correlationId: string; causationId: string | null; messageId: string; logCorrelation?: string }
    > = {};
    await start('hop-a', (rt) =>
      rt.handle(Ping, async (p, ctx) => {
        seen.a = { ...ctx.envelope, logCorrelation: currentCorrelation()?.correlationId };
        ctx.publish(Pong, { n: p.n });
      }),
    );
    await start('hop-b', (rt) =>
      rt.handle(Pong, async (p, ctx) => {
        seen.b = { ...ctx.envelope, logCorrelation: currentCorrelation()?.correlationId };
        ctx.publish(Pang, { n: p.n });
      }),
    );
    await start('hop-c', (rt) =>
      rt.handle(
        Pang,
        async (_p, ctx) => void (seen.c = { ...ctx.envelope, logCorrelation: currentCorrelation()?.correlationId }),
      ),
    );
    const origin = started[0].rt;
    const firstId = await origin.publish(Ping, { n: 5 }, { correlationId: 'lote-2027-ingresantes' });
    await waitFor(() => seen.c, 10_000, 'the third hop');
    expect(seen.a.messageId).toBe(firstId);
    for (const hop of ['a', 'b', 'c']) {
      expect(seen[hop].correlationId).toBe('lote-2027-ingresantes');
      expect(seen[hop].logCorrelation).toBe('lote-2027-ingresantes');
    }
    expect(seen.b.causationId).toBe(seen.a.messageId);
    expect(seen.c.causationId).toBe(seen.b.messageId);
  });

  it("sets the envelope's ids as AMQP properties, relayed from the outbox or published directly", async () => {
    const conn = await amqp.connect(RABBITMQ_URL);
    try {
      const ch = await conn.createChannel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      await ch.bindQueue(queue, EXCHANGES.events, Ping.routingKey);
      const seen: amqp.ConsumeMessage[] = [];
      await ch.consume(queue, (m) => m && seen.push(m), { noAck: true });
      const { rt: viaOutbox } = await start('props-outbox', (rt) => rt.handle(Pong, async () => undefined));
      const { rt: direct } = await start('props-direct', (rt) => rt.handle(Pong, async () => undefined), {
        inbox: false,
        outbox: false,
      });
      const correlations = ['corr-outbox', 'corr "entre comillas" \\ outbox', 'corr-direct'];
      const ids = [
        await viaOutbox.publish(Ping, { n: 1 }, { correlationId: correlations[0] }),
        await viaOutbox.publish(Ping, { n: 2 }, { correlationId: correlations[1] }),
        await direct.publish(Ping, { n: 3 }, { correlationId: correlations[2] }),
      ];
      await waitFor(
        () => ids.every((id) => seen.some((m) => m.properties.messageId === id)),
        10_000,
        'the messages on the tap',
      );
      for (const [i, id] of ids.entries()) {
        const correlationId = correlations[i];
        const m = seen.find((x) => x.properties.messageId === id)!;
        const env = JSON.parse(m.content.toString('utf8'));
        expect(env).toMatchObject({ messageId: id, correlationId, type: 'prueba.ping', version: 1 });
        expect(m.properties).toMatchObject({
          messageId: id,
          correlationId,
          type: 'prueba.ping',
          contentType: 'application/json',
          deliveryMode: 2,
        });
      }
    } finally {
      await conn.close();
    }
  });

  it('runs slow handlers side by side, each in a transaction of its own', async () => {
    const schema = (ds.options as { schema: string }).schema;
    let running = 0;
    let most = 0;
    const { rt } = await start('slow', (rt) =>
      rt.handle(Ping, async (p, ctx) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 300));
        running--;
        await ctx.manager.query(`INSERT INTO "${schema}".effects (message_id, n) VALUES ($1, $2)`, [
          ctx.envelope.messageId,
          p.n,
        ]);
      }),
    );
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => rt.publish(Ping, { n: 1000 + i })));
    await waitFor(
      async () => (await ds.query(`SELECT count(*)::int AS c FROM "${schema}".effects WHERE n >= 1000`))[0].c === 6,
      10_000,
      'the slow ones',
    );
    expect(most).toBeGreaterThanOrEqual(3);
    // An inbox row's applied_at is its transaction's start: one value per transaction.
    const [{ transactions }] = await ds.query(
      `SELECT count(DISTINCT applied_at)::int AS transactions FROM "${schema}".inbox WHERE message_id = ANY($1)`,
      [ids],
    );
    expect(transactions).toBe(6);
  });

  it('applies a burst of quick messages in fewer transactions than messages, each once', async () => {
    const seen = new Map<number, number>();
    const { rt } = await start('burst', (rt) =>
      rt.handle(Ping, async (p) => void seen.set(p.n, (seen.get(p.n) ?? 0) + 1)),
    );
    const ids = await Promise.all(Array.from({ length: 100 }, (_, i) => rt.publish(Ping, { n: i })));
    await waitFor(() => seen.size === 100, 10_000, 'the burst');
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
    const schema = (ds.options as { schema: string }).schema;
    const [{ transactions }] = await ds.query(
      `SELECT count(DISTINCT applied_at)::int AS transactions FROM "${schema}".inbox WHERE message_id = ANY($1)`,
      [ids],
    );
    expect(transactions).toBeLessThan(60);
  });

  it('refuses to publish a payload that breaks its schema', async () => {
    const { rt } = await start('publish-invalid', (rt) => rt.handle(Ping, async () => undefined));
    await expect(rt.publish(Ping, { n: 'x' } as never)).rejects.toThrow(/refusing to publish prueba\.ping@v1: n:/);
  });

  it('pauses and resumes a queue: messages wait in RabbitMQ meanwhile', async () => {
    const seen: number[] = [];
    const { rt, service } = await start('pause', (rt) => rt.handle(Ping, async (p) => void seen.push(p.n)));
    await rt.pause(service);
    await rt.publish(Ping, { n: 1 });
    await waitFor(async () => (await rt.queueStatus())[0].messages === 1, 10_000, 'the message to wait in the queue');
    const [status] = await rt.queueStatus();
    expect(status).toMatchObject({ paused: true, consumers: 0 });
    expect(seen).toEqual([]);
    await rt.resume(service);
    await waitFor(() => seen.includes(1), 10_000, 'the message after resume');
  });

  it('answers a question about a queue that does not exist with an error, and stays connected', async () => {
    const { rt } = await start('missing-queue', (rt) => rt.handle(Ping, async () => undefined));
    await expect(rt.parked.count('no-such-service-queue')).rejects.toThrow(/NOT_FOUND|404/);
    expect(rt.connection.isConnected).toBe(true);
    await rt.publish(Ping, { n: 1 });
  });
});
