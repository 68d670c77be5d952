import { DeferError, TransientError } from '@lucy/messaging';
import { Registry } from 'prom-client';
import { BreakerOpenError } from '../breaker/breaker.js';
import { createDependencyGuard } from './create-guard.js';
import type { DependencyGuard } from './dependency-guard.js';

const breaker = {
  timeoutMs: 200,
  capacity: 2,
  volumeThreshold: 3,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 300,
  rollingCountTimeoutMs: 10_000,
};
const guards: DependencyGuard[] = [];
function guard(
  over: Parameters<typeof createDependencyGuard>[0] = { name: 'api', rate: false, breaker },
  registry = new Registry(),
) {
  const g = createDependencyGuard(over, { registry });
  guards.push(g);
  return g;
}
afterEach(() => guards.splice(0).forEach((g) => g.shutdown()));

const fail = (status: number, headers: Record<string, string> = {}) =>
  Promise.reject(Object.assign(new Error(`HTTP ${status}`), { status, headers }));

describe('DependencyGuard', () => {
  it('opens after the threshold of transient failures, then refuses with an error the transport defers', async () => {
    const g = guard();
    const states: string[] = [];
    g.onStateChange((s) => states.push(s));
    for (let i = 0; i < 3; i++) await expect(g.call('read', () => fail(503))).rejects.toMatchObject({ status: 503 });
    expect(g.state).toBe('open');
    const refused = g.call('read', async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(BreakerOpenError);
    await expect(refused).rejects.toBeInstanceOf(DeferError);
    expect(states).toEqual(['open']);
  });

  it('does not count permanent 4xx answers: a bad request never opens it', async () => {
    const g = guard();
    for (let i = 0; i < 10; i++) await expect(g.call('write', () => fail(400))).rejects.toMatchObject({ status: 400 });
    expect(g.state).toBe('closed');
  });

  it('probes in half-open and closes when the probe succeeds', async () => {
    let up = false;
    const g = guard({ name: 'api', rate: false, breaker, probe: async () => (up ? 'ok' : fail(503)) });
    const states: string[] = [];
    g.onStateChange((s) => states.push(s));
    for (let i = 0; i < 3; i++) await g.call('read', () => fail(502)).catch(() => undefined);
    up = true;
    const deadline = Date.now() + 3000;
    while (g.state !== 'closed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('turns a call slower than the timeout into a transient failure, and aborts it', async () => {
    const g = guard();
    let aborted = false;
    const slow = g.call(
      'read',
      (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted')))),
        ),
    );
    await expect(slow).rejects.toBeInstanceOf(TransientError);
    await new Promise((r) => setTimeout(r, 20));
    expect(aborted).toBe(true);
  });

  it('waits out a 429 and sends the request again', async () => {
    const g = guard({ name: 'api', rate: { limits: { rpm: 60_000 } }, breaker });
    const at: number[] = [];
    const out = await g.call('write', async () => {
      at.push(Date.now());
      return at.length === 1 ? fail(429, { 'retry-after': '0.3' }) : 'created';
    });
    expect(out).toBe('created');
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(295);
    expect(g.state).toBe('closed');
  });

  it('holds at most `capacity` calls at once; the others wait their turn', async () => {
    const g = guard({ name: 'api', rate: false, breaker: { ...breaker, timeoutMs: 10_000 } });
    let now = 0;
    let peak = 0;
    const work = () =>
      g.call('read', async () => {
        peak = Math.max(peak, ++now);
        await new Promise((r) => setTimeout(r, 20));
        now--;
      });
    await Promise.all(Array.from({ length: 8 }, work));
    expect(peak).toBe(2);
  });

  it('resets on an operator command', async () => {
    const g = guard();
    for (let i = 0; i < 3; i++) await g.call('read', () => fail(500)).catch(() => undefined);
    expect(g.reset()).toBe(true);
    expect(g.state).toBe('closed');
    expect(g.reset()).toBe(false);
  });

  it('shows breaker state and calls in the metrics', async () => {
    const registry = new Registry();
    const g = guard({ name: 'moodle', rate: false, breaker }, registry);
    await g.call('read', async () => 1);
    for (let i = 0; i < 3; i++) await g.call('read', () => fail(503)).catch(() => undefined);
    const text = await registry.metrics();
    expect(text).toContain('lucy_breaker_state{dependency="moodle",state="open"} 1');
    expect(text).toContain('lucy_external_calls_total{dependency="moodle",kind="read",outcome="success"} 1');
    // 1 success + 2 failures reach the volume threshold at 67% errors: the third call is refused.
    expect(text).toContain('lucy_external_calls_total{dependency="moodle",kind="read",outcome="transient"} 2');
    expect(text).toContain('lucy_external_calls_total{dependency="moodle",kind="read",outcome="short_circuited"} 1');
  });
});
