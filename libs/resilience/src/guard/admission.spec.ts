import { WaitOutsideError } from '@lucy/messaging';
import { Registry } from 'prom-client';
import { BreakerOpenError } from '../breaker/breaker.js';
import { createDependencyGuard } from './create-guard.js';
import type { DependencyGuard } from './dependency-guard.js';
import { runAdmitted } from './admission.js';

const breaker = {
  timeoutMs: 500,
  capacity: 5,
  volumeThreshold: 2,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 60_000,
  rollingCountTimeoutMs: 10_000,
};
const guards: DependencyGuard[] = [];
/** One write every 200 ms (the limiter in this process: no Redis). */
function guard(): DependencyGuard {
  const g = createDependencyGuard(
    { name: 'api', rate: { limits: { rpm: 6000, writeRpm: 300 }, maxWaitMs: 10_000 }, breaker },
    { registry: new Registry() },
  );
  guards.push(g);
  return g;
}
afterEach(() => guards.splice(0).forEach((g) => g.shutdown()));

const elapsed = async (fn: () => Promise<unknown>) => {
  const t = Date.now();
  await fn();
  return Date.now() - t;
};

describe('admission: a handler waits for its calls before its transaction, not inside it', () => {
  it('waits in the admission for every reserved slot; the handler then spends them without waiting', async () => {
    const g = guard();
    let tickets!: Awaited<ReturnType<DependencyGuard['admit']>>;
    const admitMs = await elapsed(async () => (tickets = await g.admit({ write: 3 })));
    expect(admitMs).toBeGreaterThanOrEqual(350); // the third write's slot: 400 ms away
    const handlerMs = await elapsed(() =>
      runAdmitted('api', tickets, async () => {
        for (let i = 0; i < 3; i++) await g.call('write', async () => 'ok');
      }),
    );
    expect(handlerMs).toBeLessThan(100);
  });

  it('sends a handler back to its admission for a call it did not reserve, asking for one more', async () => {
    const g = guard();
    const tickets = await g.admit({ read: 1 });
    await g.admit({ write: 2 }); // others took the next slots
    const run = runAdmitted('api', tickets, async () => {
      await g.call('read', async () => 'ok');
      await g.call('write', async () => 'never');
    });
    await expect(run).rejects.toBeInstanceOf(WaitOutsideError);
    await expect(run).rejects.toMatchObject({ detail: { dependency: 'api', budget: { read: 1, write: 1 } } });
  });

  it('never sends a handler back after a write of its own (it would find it): the extra call waits where it is', async () => {
    const g = guard();
    const tickets = await g.admit({ write: 1 });
    await g.admit({ write: 1 }); // the next slot: 200 ms away
    const calls: string[] = [];
    const ms = await elapsed(() =>
      runAdmitted('api', tickets, async () => {
        await g.call('write', async () => calls.push('create'));
        await g.call('write', async () => calls.push('licence'));
      }),
    );
    expect(calls).toEqual(['create', 'licence']);
    expect(ms).toBeGreaterThanOrEqual(150);
  });

  it('waits out a 429 in the admission: the handler is sent back with the Retry-After', async () => {
    const g = guard();
    const tickets = await g.admit({ write: 1 });
    const sent: number[] = [];
    const run = runAdmitted('api', tickets, () =>
      g.call('write', async () => {
        sent.push(Date.now());
        throw Object.assign(new Error('HTTP 429'), { status: 429, headers: { 'retry-after': '1' } });
      }),
    );
    await expect(run).rejects.toBeInstanceOf(WaitOutsideError);
    await expect(run).rejects.toMatchObject({ delayMs: 1000, detail: { budget: { write: 1 } } });
    expect(sent).toHaveLength(1); // not retried inside the handler
    expect(await elapsed(() => g.admit({ write: 1 }))).toBeGreaterThanOrEqual(900); // the admission honours the pause
  });

  it('refuses admission while the breaker is open', async () => {
    const g = guard();
    for (let i = 0; i < 2; i++)
      await g
        .call('read', () => Promise.reject(Object.assign(new Error('down'), { status: 503 })))
        .catch(() => undefined);
    expect(g.state).toBe('open');
    await expect(g.admit({ write: 1 })).rejects.toBeInstanceOf(BreakerOpenError);
  });

  it('leaves calls outside any handler as they were: they wait for their slot', async () => {
    const g = guard();
    await g.call('write', async () => 'ok');
    expect(await elapsed(() => g.call('write', async () => 'ok'))).toBeGreaterThanOrEqual(150);
  });
});
