// A queue's admission runs before the message's transaction: a handler that finds it must wait after all
// (WaitOutsideError) has its writes undone and goes back to its admission, which learns what it needs;
// the message is then applied once.
import type { DataSource } from 'typeorm';
import { WaitOutsideError, type AdmissionRequest, type MessagingRuntime } from '../src/index.js';
import { deleteQueues, dropSchema, openSchema, Ping, runtimeFor, uniqueService, waitFor } from './support/harness.js';

let ds: DataSource;
let running: { rt: MessagingRuntime; service: string } | undefined;

beforeAll(async () => {
  ds = await openSchema();
});
afterEach(async () => {
  if (running) {
    await running.rt.stop();
    await deleteQueues(running.service);
    running = undefined;
  }
});
afterAll(async () => dropSchema(ds));

const schemaOf = (d: DataSource) => (d.options as { schema: string }).schema;

describe('libs/messaging admission', () => {
  it('admits before the transaction, and applies once a handler sent back to wait outside', async () => {
    const service = uniqueService('admission');
    const rt = runtimeFor(service, ds);
    const admissions: unknown[] = [];
    rt.admit(service, async (req: AdmissionRequest) => {
      admissions.push(req.again?.detail);
      return { run: (fn) => fn() };
    });
    let runs = 0;
    rt.handle(Ping, async (p, ctx) => {
      runs++;
      await ctx.manager.query(`INSERT INTO "${schemaOf(ds)}".effects (message_id, n) VALUES ($1, $2)`, [
        ctx.envelope.messageId,
        p.n,
      ]);
      if (runs === 1) throw new WaitOutsideError('no slot now', { more: 1 });
    });
    await rt.start();
    running = { rt, service };
    const id = await rt.publish(Ping, { n: 7 });

    await waitFor(
      async () =>
        (await ds.query(`SELECT count(*)::int AS n FROM "${schemaOf(ds)}".inbox WHERE message_id = $1`, [id]))[0].n ===
        1,
      10_000,
      'the message applied',
    );
    expect(runs).toBe(2);
    expect(admissions).toEqual([undefined, { more: 1 }]);
    // The first run's write was undone with it: one effect.
    expect(
      (await ds.query(`SELECT count(*)::int AS n FROM "${schemaOf(ds)}".effects WHERE message_id = $1`, [id]))[0].n,
    ).toBe(1);
    const [status] = await rt.queueStatus();
    expect(status.parked).toBe(0);
  });

  it('sets a message aside, attempt uncounted, when its admission defers it', async () => {
    const service = uniqueService('admission-defer');
    const rt = runtimeFor(service, ds);
    let admitted = 0;
    const handled: number[] = [];
    rt.admit(service, async () => {
      if (++admitted === 1) throw new WaitOutsideError('breaker open', undefined, 250);
    });
    rt.handle(Ping, async (_p, ctx) => void handled.push(ctx.attempt));
    await rt.start();
    running = { rt, service };
    await rt.publish(Ping, { n: 1 });
    await waitFor(() => handled.length === 1, 10_000, 'the message handled after its deferral');
    expect(handled).toEqual([1]);
    expect(admitted).toBe(2);
  });
});
