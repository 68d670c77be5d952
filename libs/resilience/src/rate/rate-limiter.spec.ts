import { DEFAULT_LATE_TOLERANCE_MS, SharedRateLimiter } from './rate-limiter.js';

/** The most timestamps in any half-open window of `ms`. */
function maxIn(times: number[], ms: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j] - t[i] >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/** Blocks the event loop, as a long GC pause or a CPU-bound stretch of a busy replica does. */
function stall(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

describe('SharedRateLimiter', () => {
  it('does not let callers that woke late (a stalled event loop) go together: their slots are taken again', async () => {
    // 600/min: one call every 100 ms, so at most 10 in any second, + what the lateness tolerated (200 ms,
    // two intervals) lets go together, + 1.
    const limiter = new SharedRateLimiter({ api: 'stall', limits: { rpm: 600 }, maxWaitMs: 60_000 }, undefined);
    const went: number[] = [];
    const until = Date.now() + 3000;
    const callers = Array.from({ length: 8 }, async () => {
      while (Date.now() < until) {
        await limiter.acquire('read');
        went.push(Date.now());
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    // Every caller now sleeps until a slot in the next 800 ms; this second passes them all by.
    stall(1000);
    await Promise.all(callers);

    expect(maxIn(went, 1000)).toBeLessThanOrEqual(10 + Math.ceil(DEFAULT_LATE_TOLERANCE_MS / 100) + 1);
    expect(went.length).toBeGreaterThanOrEqual(15); // still at the rate outside the stall
  });
});
