// Handlers with transactions of their own (`transaction: 'own'`, a lease per key), against the real
// PostgreSQL and RabbitMQ: nothing is held while the handler runs, the last commit carries the inbox mark
// and the replies, a duplicate is known before the handler runs, deliveries of one key take turns, and a
// lease whose holder died is taken over once it expires.
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { BrokerTap } from '@lucy/testing';
import type { MessagingRuntime, OwnTransactionContext } from '../src/index.js';
import {
  deleteQueues,
  dropSchema,
  openSchema,
  Ping,
  Pong,
  RABBITMQ_URL,
  runtimeFor,
  uniqueService,
  waitFor,
} from './support/harness.js';

let ds: DataSource;
let schema: string;
let tap: BrokerTap;
let running: { rt: MessagingRuntime; service: string } | undefined;

beforeAll(async () => {
  ds = await openSchema();
  schema = (ds.options as { schema: string }).schema;
  tap = await BrokerTap.open([Pong], { url: RABBITMQ_URL });
});
afterEach(async () => {
  if (running) {
    await running.rt.stop();
    await deleteQueues(running.service);
    running = undefined;
  }
});
afterAll(async () => {
  await tap?.close();
  await dropSchema(ds);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Connections of the pool taken right now. */
const taken = () => {
  const pool = (ds.driver as unknown as { master: Pool }).master;
  return pool.totalCount - pool.idleCount;
};

async function consumed(rt: MessagingRuntime, outcome: string): Promise<number> {
  return (await rt.metrics.consumed.get()).values
    .filter((v) => v.labels.outcome === outcome)
    .reduce((n, v) => n + v.value, 0);
}

async function start(
  name: string,
  handle: (p: { n: number; texto?: string }, ctx: OwnTransactionContext) => Promise<void>,
) {
  const service = uniqueService(name);
  // The relay polls rarely: only the handler could take a connection while it waits.
  const rt = runtimeFor(service, ds, { outboxPollMs: 60_000 });
  rt.handle(Ping, handle, { transaction: 'own', lease: (p) => p.texto ?? `k${p.n}` });
  await rt.start();
  running = { rt, service };
  return { rt, service };
}

const effects = async (n: number) =>
  (await ds.query(`SELECT info->>'paso' AS paso FROM "${schema}".effects WHERE n = $1 ORDER BY id`, [n])).map(
    (r: { paso: string }) => r.paso,
  );

describe('libs/messaging handlers with transactions of their own', () => {
  it('holds no connection while the handler waits, commits its last writes with the inbox mark and the reply, and knows a duplicate before running it', async () => {
    const held: number[] = [];
    let runs = 0;
    const { rt } = await start('own', async (p, ctx) => {
      runs++;
      await ctx.transaction((m) =>
        m.query(`INSERT INTO "${schema}".effects (message_id, n, info) VALUES ($1, $2, '{"paso":"antes"}')`, [
          ctx.envelope.messageId,
          p.n,
        ]),
      );
      held.push(taken());
      await sleep(300); // an external API's rate slot
      held.push(taken());
      ctx.publish(Pong, { n: p.n });
      await ctx.commit((m) =>
        m.query(`INSERT INTO "${schema}".effects (message_id, n, info) VALUES ($1, $2, '{"paso":"final"}')`, [
          ctx.envelope.messageId,
          p.n,
        ]),
      );
    });
    const env = tap.envelope(Ping, { n: 41 });
    await tap.send(Ping, env);
    const pong = await tap.reply(Pong, env);
    expect(pong.env.payload).toEqual({ n: 41 });
    expect(held).toEqual([0, 0]);
    expect(await effects(41)).toEqual(['antes', 'final']);

    await tap.send(Ping, env); // a redelivery
    await waitFor(async () => (await consumed(rt, 'duplicate')) === 1, 10_000, 'the duplicate');
    expect(runs).toBe(1);
    expect(tap.messages.filter((m) => m.env.causationId === env.messageId)).toHaveLength(1);
    expect(await ds.query(`SELECT * FROM "${schema}".lease`)).toEqual([]);
  });

  it('drops what a failed last commit would have published, and gives the lease back', async () => {
    let runs = 0;
    await start('own-fail', async (p, ctx) => {
      runs++;
      ctx.publish(Pong, { n: p.n });
      await ctx.commit(async (m) => {
        await m.query(`INSERT INTO "${schema}".effects (message_id, n, info) VALUES ($1, $2, '{"paso":"final"}')`, [
          ctx.envelope.messageId,
          p.n,
        ]);
        if (runs === 1) throw new Error('the database went away');
      });
    });
    const env = tap.envelope(Ping, { n: 42 });
    await tap.send(Ping, env);
    await tap.reply(Pong, env);
    await waitFor(async () => (await ds.query(`SELECT * FROM "${schema}".lease`)).length === 0, 5000, 'no lease');
    expect(runs).toBe(2);
    expect(tap.messages.filter((m) => m.env.causationId === env.messageId)).toHaveLength(1);
    expect(await effects(42)).toEqual(['final']);
  });

  it('lets deliveries for the same key take turns: the second waits, its attempt not counted, until the first commits', async () => {
    const order: string[] = [];
    const attempts: number[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const { rt } = await start('own-turns', async (p, ctx) => {
      order.push(`start ${p.n}`);
      attempts.push(ctx.attempt);
      if (p.n === 1) await first;
      await ctx.commit();
      order.push(`end ${p.n}`);
    });
    const a = tap.envelope(Ping, { n: 1, texto: 'mismo-alumno' });
    const b = tap.envelope(Ping, { n: 2, texto: 'mismo-alumno' });
    await tap.send(Ping, a);
    await waitFor(() => order.includes('start 1'), 10_000, 'the first to start');
    await tap.send(Ping, b);
    await waitFor(async () => (await consumed(rt, 'deferred')) >= 2, 10_000, 'the second to be set aside twice');
    expect(order).toEqual(['start 1']);
    release();
    await waitFor(() => order.includes('end 2'), 10_000, 'the second to run');
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(attempts).toEqual([1, 1]);
  });

  it('takes over the lease of a holder that died once it has expired, not before', async () => {
    const service = uniqueService('own-takeover');
    const until = Date.now() + 1500;
    await ds.query(
      `INSERT INTO "${schema}".lease (consumer, key, holder, until) VALUES ($1, 'alumno-huerfano', 'a dead process', to_timestamp($2 / 1000.0))`,
      [service, until],
    );
    const ran: number[] = [];
    const rt = runtimeFor(service, ds, { leaseTtlMs: 1000 });
    rt.handle(
      Ping,
      async (_p, ctx) => {
        const at = Date.now();
        await ctx.commit();
        ran.push(at);
      },
      { transaction: 'own', lease: () => 'alumno-huerfano' },
    );
    await rt.start();
    running = { rt, service };
    await tap.send(Ping, tap.envelope(Ping, { n: 43 }));
    await waitFor(() => ran.length === 1, 15_000, 'the handler to run');
    expect(ran[0]).toBeGreaterThanOrEqual(until - 50); // clocks: this process's and PostgreSQL's
    expect(await ds.query(`SELECT * FROM "${schema}".lease`)).toEqual([]);
  });
});
