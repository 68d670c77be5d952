// The promises that matter when things die: a killed consumer, a killed relay, a restarted broker.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import type { DataSource } from 'typeorm';
import { OutboxStore } from '../src/outbox/outbox.store.js';
import { AmqpConnection } from '../src/transport/connection.js';
import type { MessagingRuntime } from '../src/index.js';
import {
  deleteQueues,
  dropSchema,
  log,
  openSchema,
  Ping,
  RABBITMQ_URL,
  runtimeFor,
  uniqueService,
  waitFor,
} from './support/harness.js';

const CHILD = fileURLToPath(new URL('./support/child.ts', import.meta.url));
let ds: DataSource;
let schema: string;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ds = await openSchema();
  schema = (ds.options as { schema: string }).schema;
});
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => undefined);
});
afterAll(async () => dropSchema(ds));

function child(args: string[], until: string): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(async () => void p.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d) => {
      out += d;
      if (out.includes(until)) resolve(p);
    });
    p.on('exit', (code) => reject(new Error(`child exited (${code}) before "${until}"`)));
  });
}

async function started(service: string, setup: (rt: MessagingRuntime) => void, overrides = {}) {
  const rt = runtimeFor(service, ds, overrides);
  setup(rt);
  await rt.start();
  cleanup.push(async () => {
    await rt.stop();
    await deleteQueues(service);
  });
  return rt;
}

/** Counts deliveries per messageId on a plain queue bound to Ping, outside libs/messaging. */
async function tap(): Promise<Map<string, number>> {
  const conn = await amqp.connect(RABBITMQ_URL);
  const ch = await conn.createChannel();
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, 'lucy.events', Ping.routingKey);
  const seen = new Map<string, number>();
  await ch.consume(
    queue,
    (m) => m && seen.set(String(m.properties.messageId), (seen.get(String(m.properties.messageId)) ?? 0) + 1),
    { noAck: true },
  );
  cleanup.push(async () => void (await conn.close()));
  return seen;
}

describe('libs/messaging under failure', () => {
  it('redelivers the message of a consumer killed mid-handler, and applies it exactly once', async () => {
    const service = uniqueService('killed');
    const kid = await child(['hang-in-handler', schema, service], 'READY');
    const publisher = await started(uniqueService('pub'), () => undefined);
    const messageId = await publisher.publish(Ping, { n: 99 });
    await new Promise<void>((resolve) => kid.stdout!.on('data', (d) => String(d).includes('IN_HANDLER') && resolve()));
    kid.kill('SIGKILL');
    await new Promise((r) => kid.once('exit', r));

    const redelivered: boolean[] = [];
    await started(service, (rt) =>
      rt.handle(Ping, async (p, ctx) => {
        redelivered.push(ctx.envelope.messageId === messageId);
        await ctx.manager.query(`INSERT INTO "${schema}".effects (message_id, n) VALUES ($1, $2)`, [
          ctx.envelope.messageId,
          p.n,
        ]);
      }),
    );
    await waitFor(
      async () => (await ds.query(`SELECT 1 FROM "${schema}".effects WHERE message_id = $1`, [messageId])).length > 0,
      15_000,
      'the redelivered message',
    );
    const [{ c }] = await ds.query(`SELECT count(*)::int AS c FROM "${schema}".effects WHERE message_id = $1`, [
      messageId,
    ]);
    expect(c).toBe(1);
    expect(redelivered).toEqual([true]);
  });

  it('never publishes an outbox message whose transaction rolled back', async () => {
    const seen = await tap();
    const rt = await started(uniqueService('rollback'), () => undefined);
    await expect(
      rt.inTransaction(async (tx) => {
        tx.publish(Ping, { n: 1 });
        throw new Error('the student row failed to save');
      }),
    ).rejects.toThrow(/failed to save/);
    const [{ c }] = await ds.query(
      `SELECT count(*)::int AS c FROM "${schema}".outbox WHERE body LIKE '%"n":1}%' AND published_at IS NULL`,
    );
    expect(c).toBe(0);
    // A committed marker after it: once the marker is through, the rolled-back one would have been too.
    const marker = await rt.publish(Ping, { n: 2 });
    await waitFor(() => seen.has(marker), 10_000, 'the marker');
    expect(seen.size).toBe(1);
  });

  it('publishes every committed outbox row exactly once after its relay was killed and a new one started', async () => {
    const seen = await tap();
    const kid = await child(['write-outbox', schema, uniqueService('writer'), '25'], 'COMMITTED');
    kid.kill('SIGKILL');
    const pendingIds: string[] = (
      await ds.query(`SELECT message_id FROM "${schema}".outbox WHERE published_at IS NULL`)
    ).map((r: { message_id: string }) => r.message_id);
    expect(pendingIds.length).toBeGreaterThanOrEqual(25);
    await started(uniqueService('relay2'), () => undefined);
    await waitFor(() => pendingIds.every((id) => seen.has(id)), 15_000, 'every pending row');
    // The broker's confirm comes before the row is marked sent: wait for the mark, then count deliveries.
    await waitFor(
      async () => (await ds.query(`SELECT 1 FROM "${schema}".outbox WHERE published_at IS NULL`)).length === 0,
      15_000,
      'the rows marked sent',
    );
    expect(pendingIds.every((id) => seen.get(id) === 1)).toBe(true);
  });

  it('a relay that dies after publishing but before marking sends again, and the inbox applies once', async () => {
    const service = uniqueService('remark');
    const applied: string[] = [];
    const consumer = await started(
      service,
      (rt) =>
        rt.handle(Ping, async (_p, ctx) => {
          await ctx.manager.query(`INSERT INTO "${schema}".effects (message_id, n) VALUES ($1, 0)`, [
            ctx.envelope.messageId,
          ]);
          applied.push(ctx.envelope.messageId);
        }),
      { outbox: false },
    );
    // Write a row as a handler would, then relay it with a "relay" that crashes before marking it sent.
    const writer = runtimeFor(uniqueService('w'), ds);
    await writer.inTransaction(async (tx) => tx.publish(Ping, { n: 0 }));
    const conn = new AmqpConnection(RABBITMQ_URL, log);
    await conn.start();
    cleanup.push(() => conn.close());
    const store = new OutboxStore(ds);
    await expect(
      store.relayBatch(100, async (rows) => {
        await conn.publish(
          rows.map((r) => ({
            messageId: r.message_id,
            exchange: r.exchange,
            routingKey: r.routing_key,
            body: Buffer.from(r.body),
            properties: { persistent: true, messageId: r.message_id, type: r.type, headers: r.headers },
          })),
        );
        throw new Error('relay killed before marking');
      }),
    ).rejects.toThrow(/killed/);
    const relayed = await started(uniqueService('relay3'), () => undefined); // a healthy relay takes over
    await waitFor(
      async () => (await ds.query(`SELECT 1 FROM "${schema}".outbox WHERE published_at IS NULL`)).length === 0,
      10_000,
      'the row marked',
    );
    await waitFor(
      async () =>
        (await consumer.queueStatus())[0].messages === 0 &&
        (await consumer.queueStatus())[0].inFlight === 0 &&
        applied.length > 0,
    );
    expect(applied).toHaveLength(1);
    expect(relayed).toBeTruthy();
  });

  const canRestartBroker = process.env.SKIP_BROKER_RESTART !== '1';
  (canRestartBroker ? it : it.skip)(
    'consumes after a broker restart a message confirmed before it, and the running service reconnects',
    async () => {
      const service = uniqueService('restart');
      const seen: number[] = [];
      const rt = await started(service, (rt) => rt.handle(Ping, async (p) => void seen.push(p.n)), {
        outbox: false,
        inbox: false,
      });
      await rt.pause(service);
      await rt.publish(Ping, { n: 1 }); // confirmed by the broker, waiting in the durable queue
      const run = promisify(execFile);
      await run('rabbitmqctl', ['stop_app']);
      await waitFor(() => !rt.connection.isConnected, 30_000, 'the disconnect');
      await run('rabbitmqctl', ['start_app']);
      await run('rabbitmqctl', ['await_startup'], { timeout: 60_000 });
      await waitFor(() => rt.connection.isConnected, 30_000, 'the reconnect');
      await rt.resume(service);
      await waitFor(() => seen.includes(1), 15_000, 'the message confirmed before the restart');
      await rt.publish(Ping, { n: 2 });
      await waitFor(() => seen.includes(2), 15_000, 'a message published after the restart');
    },
  );
});
