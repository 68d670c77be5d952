// A handler that declares onFailure, against the real PostgreSQL and RabbitMQ: its failure event commits
// with what it wrote (and what it added with ctx.onFailure) and the message is applied, in the message's
// transaction and in transactions of its own; a transient error is retried first.
import type { DataSource, EntityManager } from 'typeorm';
import { BrokerTap } from '@lucy/testing';
import { PermanentError, TransientError, type HandlerContext, type MessagingRuntime } from '../src/index.js';
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
let schema: string;
let tap: BrokerTap;
let running: { rt: MessagingRuntime; service: string } | undefined;

beforeAll(async () => {
  ds = await openSchema();
  schema = (ds.options as { schema: string }).schema;
  tap = await BrokerTap.open([Pong, Pang], { url: RABBITMQ_URL });
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

type Mode = 'message' | 'own';
type Ctx = HandlerContext & {
  manager?: EntityManager;
  transaction?: (w: (m: EntityManager) => Promise<unknown>) => Promise<unknown>;
};

async function start(name: string, transaction: Mode, handle: (p: { n: number }, ctx: Ctx) => Promise<void>) {
  const service = uniqueService(name);
  const rt = runtimeFor(service, ds);
  const onFailure = { event: Pang, payload: (p: { n: number }) => ({ n: p.n }) };
  if (transaction === 'own')
    rt.handle(Ping, handle as never, { transaction: 'own', lease: (p) => `k${p.n}`, onFailure });
  else rt.handle(Ping, handle as never, { onFailure });
  await rt.start();
  running = { rt, service };
  return rt;
}

const note = (ctx: Ctx, n: number, paso: string) => (m: EntityManager) =>
  m.query(`INSERT INTO "${schema}".effects (message_id, n, info) VALUES ($1, $2, $3)`, [
    ctx.envelope.messageId,
    n,
    JSON.stringify({ paso }),
  ]);
/** A write of the handler's: in the message's transaction, or in a short one of its own. */
const write = (ctx: Ctx, n: number, paso: string) =>
  ctx.manager ? note(ctx, n, paso)(ctx.manager) : ctx.transaction!(note(ctx, n, paso));

const effects = async (n: number) =>
  (await ds.query(`SELECT info->>'paso' AS paso FROM "${schema}".effects WHERE n = $1 ORDER BY id`, [n])).map(
    (r: { paso: string }) => r.paso,
  );

async function consumed(rt: MessagingRuntime, outcome: string): Promise<number> {
  return (await rt.metrics.consumed.get()).values
    .filter((v) => v.labels.outcome === outcome)
    .reduce((n, v) => n + v.value, 0);
}

describe.each<[Mode, number]>([
  ['message', 100],
  ['own', 200],
])('libs/messaging onFailure (%s transaction)', (mode, base) => {
  it('a permanent error publishes the failure event alone, with the writes before it and those it added, and the message is applied', async () => {
    let runs = 0;
    const rt = await start(`fail-${mode}`, mode, async (p, ctx) => {
      runs++;
      ctx.onFailure(() => ({ write: note(ctx, p.n, 'fallo') }));
      await write(ctx, p.n, 'antes');
      ctx.publish(Pong, { n: p.n });
      throw new PermanentError('refused for good', 'rechazado');
    });
    const env = tap.envelope(Ping, { n: base + 1 });
    await tap.send(Ping, env);
    const pang = await tap.reply(Pang, env);
    expect(pang.env.payload).toEqual({ n: base + 1 });
    await waitFor(async () => (await consumed(rt, 'applied')) === 1, 5000, 'applied');
    expect(runs).toBe(1);
    expect(tap.messages.filter((m) => m.env.causationId === env.messageId).map((m) => m.env.type)).toEqual([Pang.name]);
    expect(await effects(base + 1)).toEqual(['antes', 'fallo']);
  });

  it('a transient error is retried, and reported on the last attempt', async () => {
    let runs = 0;
    await start(`retry-${mode}`, mode, async (p, ctx) => {
      runs++;
      ctx.onFailure(() => ({ write: note(ctx, p.n, `fallo ${ctx.attempt}`) }));
      throw new TransientError('Moodle 503');
    });
    const env = tap.envelope(Ping, { n: base + 2 });
    await tap.send(Ping, env);
    await tap.reply(Pang, env);
    expect(runs).toBe(4); // three retries (runtimeFor's retryDelaysMs), then the last attempt
    expect(await effects(base + 2)).toEqual(['fallo 4']);
  });
});
