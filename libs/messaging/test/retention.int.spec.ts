// The transport's retention against the real PostgreSQL and RabbitMQ: what is past its age goes, in
// batches, and nothing a redelivery could need — recent inbox ids, unsent outbox rows, recently parked or
// undated parked messages — is touched; a simulation counts the same and removes nothing. Relayed outbox
// rows have one owner, the outbox relay: a run only counts those past their day. Then a whole
// PurgarRetencion through the broker, answered by the handler every service registers.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import type { DataSource } from 'typeorm';
import { PurgarRetencion, RetencionAplicada } from '@lucy/contracts';
import { purgeInBatches } from '@lucy/platform';
import { BrokerTap } from '@lucy/testing';
import {
  DAY_MS,
  FailureHeaders,
  MessageRetention,
  parkedQueueName,
  registerRetention,
  retentionQueueOf,
  type MessagingRuntime,
} from '../src/index.js';
import { OutboxRelay } from '../src/outbox/outbox.relay.js';
import { OutboxStore } from '../src/outbox/outbox.store.js';
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

/** The running service's schema (the broker test) and one no runtime relays from (the direct tests). */
let ds: DataSource;
let dsData: DataSource;
let service: string;
let rt: MessagingRuntime;
let tap: BrokerTap;

const ago = (ms: number) => new Date(Date.now() - ms);

async function park(queue: string, messageId: string, parkedAt: Date | null): Promise<void> {
  const conn = await amqp.connect(RABBITMQ_URL);
  try {
    const ch = await conn.createConfirmChannel();
    const headers = parkedAt
      ? { [FailureHeaders.parkedAt]: parkedAt.toISOString(), [FailureHeaders.errorCode]: 'x' }
      : {};
    ch.sendToQueue(parkedQueueName(queue), Buffer.from('{"secreto":"no se registra"}'), {
      messageId,
      type: 'prueba.ping',
      persistent: true,
      headers,
    });
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

const parkedIds = async (queue: string) => (await rt.parked.list(queue, 100)).map((m) => m.messageId);
const count = async (db: DataSource, sql: string) => Number((await db.query(sql))[0].n);
const schemaOf = (db: DataSource) => (db.options as { schema: string }).schema;

beforeAll(async () => {
  ds = await openSchema();
  dsData = await openSchema();
  service = uniqueService('retention');
  rt = runtimeFor(service, ds);
  rt.handle(Ping, async () => undefined);
  registerRetention(rt, ds, log);
  await rt.start();
  tap = await BrokerTap.open([RetencionAplicada], { url: RABBITMQ_URL });
});
afterAll(async () => {
  await tap?.close();
  await rt?.stop();
  await deleteQueues(service);
  await deleteQueues(retentionQueueOf(service));
  await dropSchema(ds);
  await dropSchema(dsData);
});

/** Old and recent rows and parked messages; `unsent` rows only where no relay would send them. */
async function seed(ds: DataSource, { unsent }: { unsent: boolean }) {
  const schema = schemaOf(ds);
  await ds.query(`TRUNCATE "${schema}".inbox, "${schema}".outbox`);
  const inbox = (id: string, at: Date) =>
    ds.query(
      `INSERT INTO "${schema}".inbox (consumer, message_id, type, applied_at) VALUES ($1, $2, 'prueba.ping', $3)`,
      [service, id, at],
    );
  for (let i = 0; i < 7; i++) await inbox(`viejo-${i}`, ago(30 * DAY_MS));
  // Within parked age (7 d) + retry budget + a day: a parked copy could still come back.
  await inbox('reciente-1', ago(7.5 * DAY_MS));
  await inbox('reciente-2', ago(60_000));
  const outbox = (created: Date, published: Date | null) =>
    ds.query(
      `INSERT INTO "${schema}".outbox (message_id, exchange, routing_key, type, body, created_at, published_at)
       VALUES ($1, 'lucy.events', 'prueba.ping.v1', 'prueba.ping', '{}', $2, $3)`,
      [randomUUID(), created, published],
    );
  for (let i = 0; i < 5; i++) await outbox(ago(3 * DAY_MS), ago(3 * DAY_MS));
  await outbox(ago(3_600_000), ago(3_600_000));
  // Never sent (a relay that could not reach the broker for a month): the relay's to send, never purged.
  if (unsent) {
    await outbox(ago(30 * DAY_MS), null);
    await outbox(ago(30 * DAY_MS), null);
  }
  await rt.parked.discard(service);
  await park(service, 'aparcado-viejo-1', ago(10 * DAY_MS));
  await park(service, 'aparcado-nuevo', ago(DAY_MS));
  await park(service, 'aparcado-viejo-2', ago(8 * DAY_MS));
  await park(service, 'aparcado-sin-fecha', null);
}

describe('transport retention', () => {
  it('deletes in batches of the given size, each its own statement, and stops at the first short one', async () => {
    const schema = schemaOf(dsData);
    await dsData.query(`CREATE TABLE "${schema}".lote_prueba (id serial PRIMARY KEY, at timestamptz NOT NULL)`);
    await dsData.query(
      `INSERT INTO "${schema}".lote_prueba (at) SELECT now() - (g || ' days')::interval FROM generate_series(1, 10) g`,
    );
    const statements: string[] = [];
    const spy = { query: (sql: string, p?: unknown[]) => (statements.push(sql), dsData.query(sql, p)) };
    const spec = { table: `"${schema}".lote_prueba`, where: 'at < $1', params: [ago(3.5 * DAY_MS)], orderBy: 'id' };
    expect(await purgeInBatches(spy, spec, { simulate: true })).toMatchObject({ count: 7, batches: 0 });
    expect(await count(dsData, `SELECT count(*) AS n FROM "${schema}".lote_prueba`)).toBe(10);
    const r = await purgeInBatches(spy, spec, { batchSize: 3, pauseMs: 5 });
    expect(r).toMatchObject({ count: 7, batches: 3 });
    expect(statements.filter((s) => s.includes('DELETE'))).toHaveLength(3);
    expect(await count(dsData, `SELECT count(*) AS n FROM "${schema}".lote_prueba`)).toBe(3);
  });

  it('a simulation counts what would go and removes nothing', async () => {
    const schema = schemaOf(dsData);
    await seed(dsData, { unsent: true });
    const retention = new MessageRetention({
      dataSource: dsData,
      parked: rt.parked,
      queues: () => [service],
      retryDelaysMs: rt.opts.retryDelaysMs,
      log,
    });
    const r = await retention.apply({ parkedRetentionMs: 7 * DAY_MS, simulate: true, batchSize: 2, pauseMs: 0 });
    expect(Object.fromEntries(r.map((p) => [p.tipo, p.cantidad]))).toEqual({ aparcados: 2, inbox: 7, outbox: 5 });
    expect(await count(dsData, `SELECT count(*) AS n FROM "${schema}".inbox`)).toBe(9);
    expect(await count(dsData, `SELECT count(*) AS n FROM "${schema}".outbox`)).toBe(8);
    expect(await parkedIds(service)).toHaveLength(4);
  });

  it('removes old inbox ids and parked messages in batches, counts the relayed outbox rows past their day and leaves them to the relay; keeps the recent, the unsent and the undated', async () => {
    const schema = schemaOf(dsData);
    await seed(dsData, { unsent: true });
    const logged: { obj: any; msg: string }[] = [];
    const capture = {
      info: (obj: object, msg: string) => logged.push({ obj, msg }),
      warn: (obj: object, msg: string) => logged.push({ obj, msg }),
    };
    const retention = new MessageRetention({
      dataSource: dsData,
      parked: rt.parked,
      queues: () => [service],
      retryDelaysMs: rt.opts.retryDelaysMs,
      log: capture,
    });
    const now = new Date();
    const r = await retention.apply({ parkedRetentionMs: 7 * DAY_MS, simulate: false, batchSize: 2, pauseMs: 0, now });
    expect(r.map((p) => [p.tipo, p.cantidad])).toEqual([
      ['aparcados', 2],
      ['inbox', 7],
      ['outbox', 5],
    ]);
    expect(r.find((p) => p.tipo === 'aparcados')!.corte).toBe(new Date(now.getTime() - 7 * DAY_MS).toISOString());
    const ids = (await dsData.query(`SELECT message_id FROM "${schema}".inbox ORDER BY message_id`)).map(
      (x: { message_id: string }) => x.message_id,
    );
    expect(ids).toEqual(['reciente-1', 'reciente-2']);
    // The outbox is the relay's: every row is still there (the 5 counted, the recent one, the 2 unsent).
    expect(await count(dsData, `SELECT count(*) AS n FROM "${schema}".outbox`)).toBe(8);
    expect(logged.find((l) => l.obj.tipo === 'outbox')!.msg).toBe('retention: counted (the outbox relay removes them)');
    expect(await parkedIds(service)).toEqual(['aparcado-nuevo', 'aparcado-sin-fecha']);
    // In batches (7 ids in 2s: 4 statements), and the parked ones reported before they went, without bodies.
    expect(logged.find((l) => l.obj.tipo === 'inbox')!.obj.batches).toBe(4);
    const reporte = logged.find((l) => l.msg === 'retention: removing parked messages')!.obj;
    expect(reporte.messages.map((m: { messageId: string }) => m.messageId).sort()).toEqual([
      'aparcado-viejo-1',
      'aparcado-viejo-2',
    ]);
    expect(JSON.stringify(reporte)).not.toContain('secreto');
    // And in the answer, for the run's report.
    const aparcados = r.find((p) => p.tipo === 'aparcados')!;
    expect(aparcados.mensajes!.map((m) => [m.cola, m.messageId]).sort()).toEqual([
      [service, 'aparcado-viejo-1'],
      [service, 'aparcado-viejo-2'],
    ]);
    expect(JSON.stringify(aparcados)).not.toContain('secreto');
  });

  it('answers PurgarRetencion through the broker from <service>.retencion with what it removed', async () => {
    const schema = schemaOf(ds);
    await seed(ds, { unsent: false });
    const ejecucionId = randomUUID();
    await tap.publish(PurgarRetencion, {
      ejecucionId,
      simular: false,
      edades: { dias: 90, auditoriaDias: 365, aparcadosDias: 7 },
    });
    const answer = await waitFor(
      () => tap.messages.find((m) => m.env.payload.ejecucionId === ejecucionId && m.env.payload.servicio === service),
      15_000,
      'RetencionAplicada',
    );
    expect(answer.env.payload.simulada).toBe(false);
    expect(
      Object.fromEntries(
        answer.env.payload.purgados.map((p: { tipo: string; cantidad: number }) => [p.tipo, p.cantidad]),
      ),
    ).toMatchObject({ aparcados: 2, inbox: 7 });
    // (the outbox's count depends on whether this service's running relay removed the old rows first)
    expect(answer.env.payload.purgados.map((p: { tipo: string }) => p.tipo)).toEqual(['aparcados', 'inbox', 'outbox']);
    expect(await count(ds, `SELECT count(*) AS n FROM "${schema}".inbox WHERE message_id LIKE 'viejo-%'`)).toBe(0);
    // The command's own id is applied (a redelivery would not purge and answer twice).
    await waitFor(
      async () =>
        (await count(
          ds,
          `SELECT count(*) AS n FROM "${schema}".inbox WHERE consumer = '${retentionQueueOf(service)}'`,
        )) === 1,
      5000,
      'the command applied',
    );
  });

  it('the outbox relay removes the rows the broker confirmed over a day ago, in batches; never an unsent or a recent one', async () => {
    const schema = schemaOf(dsData);
    await seed(dsData, { unsent: true });
    const statements: string[] = [];
    const db = Object.create(dsData, {
      query: { value: (sql: string, p?: unknown[]) => (statements.push(sql), dsData.query(sql, p)) },
    }) as DataSource;
    // Not started: no broker, no timer; one pass as the timer would run it.
    const relay = new OutboxRelay(new OutboxStore(db), undefined as never, log, { pollMs: 60_000, batchSize: 10 });
    expect(await relay.prune()).toBe(5);
    expect(relay.pruned).toBe(5);
    expect(statements.filter((q) => q.includes('DELETE'))).toHaveLength(1); // 5 rows: one short batch
    const left = await dsData.query(
      `SELECT published_at IS NULL AS unsent FROM "${schema}".outbox ORDER BY published_at NULLS LAST`,
    );
    expect(left.map((r: { unsent: boolean }) => r.unsent)).toEqual([false, true, true]);
    expect(await relay.prune()).toBe(0);
  });
});
