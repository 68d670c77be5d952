// DeferError: a message set aside because a dependency cannot take it now keeps its retry budget.
import type { DataSource } from 'typeorm';
import { DeferError, type MessagingRuntime } from '../src/index.js';
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

describe('libs/messaging deferral', () => {
  it('defers a message more times than its retry budget without counting an attempt or parking it', async () => {
    const service = uniqueService('defer');
    const rt = runtimeFor(service, ds);
    const seen: { attempt: number; last: boolean; at: number }[] = [];
    rt.handle(Ping, async (_p, ctx) => {
      seen.push({ attempt: ctx.attempt, last: ctx.isLastAttempt, at: Date.now() });
      if (seen.length <= 5) throw new DeferError('breaker graph is open', 250);
    });
    await rt.start();
    running = { rt, service };
    await rt.publish(Ping, { n: 1 });

    await waitFor(() => seen.length === 6, 15_000, 'six deliveries');
    expect(seen.map((s) => s.attempt)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(seen.some((s) => s.last)).toBe(false);
    // 250 ms asked: the 300 ms tier (the first that covers it), never the 100 ms one.
    for (let i = 1; i < seen.length; i++) expect(seen[i].at - seen[i - 1].at).toBeGreaterThanOrEqual(290);
    const status = await waitFor(
      async () => {
        const [s] = await rt.queueStatus();
        return s.messages === 0 && s.inFlight === 0 && s;
      },
      5_000,
      'queue drained',
    );
    expect(status.parked).toBe(0);
    expect(
      rt.metrics.consumed.get
        ? (await rt.metrics.consumed.get()).values
            .filter((v) => v.labels.outcome === 'deferred')
            .reduce((n, v) => n + v.value, 0)
        : 5,
    ).toBe(5);
  });
});
