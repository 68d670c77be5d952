import { LocalRateStore } from './local-rate.store.js';
import { DEFAULT_AIMD, DEFAULT_BACKOFF } from './rate.types.js';

function store(share = 1) {
  const clock = { now: 1_000_000 };
  return { clock, s: new LocalRateStore(share, () => clock.now) };
}

describe('LocalRateStore (the algorithm the Redis script shares)', () => {
  it('spaces calls exactly 60/rpm seconds apart, with no burst', async () => {
    const { s } = store();
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD)).waitMs);
    expect(waits).toEqual([0, 100, 200, 300]);
  });

  it('budgets writes on top of the total: a write waits for both', async () => {
    const { s } = store();
    const limits = { rpm: 600, writeRpm: 60 };
    expect((await s.reserve(limits, true, 60_000, DEFAULT_AIMD)).waitMs).toBe(0);
    expect((await s.reserve(limits, false, 60_000, DEFAULT_AIMD)).waitMs).toBe(100); // reads only wait for the total
    expect((await s.reserve(limits, true, 60_000, DEFAULT_AIMD)).waitMs).toBe(1000); // writes: one per second
  });

  it('refuses a slot further away than maxWaitMs, without taking it', async () => {
    const { s } = store();
    await s.reserve({ rpm: 60 }, false, 5000, DEFAULT_AIMD);
    const r = await s.reserve({ rpm: 60 }, false, 500, DEFAULT_AIMD);
    expect(r).toMatchObject({ granted: false, waitMs: 1000 });
    expect((await s.reserve({ rpm: 60 }, false, 5000, DEFAULT_AIMD)).waitMs).toBe(1000);
  });

  it('makes every caller wait the Retry-After, and backs off exponentially when there is none', async () => {
    const { s, clock } = store();
    expect((await s.throttled(1500, DEFAULT_AIMD, DEFAULT_BACKOFF)).waitMs).toBe(1500);
    expect((await s.reserve({ rpm: 6000 }, false, 60_000, DEFAULT_AIMD)).waitMs).toBe(1500);
    clock.now += 2000;
    const backoff = { baseMs: 1000, maxMs: 3000 };
    expect((await s.throttled(undefined, { ...DEFAULT_AIMD, strikesToDecrease: 99 }, backoff)).waitMs).toBe(2000); // second episode: 1 s × 2
    clock.now += 2000;
    expect((await s.throttled(undefined, { ...DEFAULT_AIMD, strikesToDecrease: 99 }, backoff)).waitMs).toBe(3000); // capped
  });

  it('counts 429s of requests sent before the pause as one episode', async () => {
    const { s, clock } = store();
    expect((await s.throttled(1000, DEFAULT_AIMD, DEFAULT_BACKOFF)).newEpisode).toBe(true);
    clock.now += 10;
    const again = await s.throttled(1000, DEFAULT_AIMD, DEFAULT_BACKOFF);
    expect(again).toMatchObject({ newEpisode: false, decreased: false });
    expect(again.waitMs).toBe(1000); // the pause is extended from now, not doubled
  });

  it('steps the rate down after repeated 429s and recovers it linearly', async () => {
    const { s, clock } = store();
    await s.throttled(1000, DEFAULT_AIMD, DEFAULT_BACKOFF);
    clock.now += 1500;
    const second = await s.throttled(1000, DEFAULT_AIMD, DEFAULT_BACKOFF);
    expect(second).toMatchObject({ decreased: true, factor: 0.5 });
    clock.now += 1000;
    expect((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD)).rpm).toBeCloseTo(600 * (0.5 + 0.1 / 60), 3);
    clock.now += 5 * 60_000;
    expect((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD)).rpm).toBe(600);
  });

  it('takes its share of the rate when replicas fall back alone', async () => {
    const { s } = store(2);
    await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD);
    expect((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD)).waitMs).toBe(200);
  });

  it('applies a runtime change of the limits, and goes back to the configured ones', async () => {
    const { s } = store();
    await s.setLimits({ rpm: 60 });
    expect(await s.snapshot({ rpm: 600 }, DEFAULT_AIMD)).toMatchObject({ limits: { rpm: 60 }, changedAtRuntime: true });
    await s.setLimits(null);
    expect(await s.snapshot({ rpm: 600 }, DEFAULT_AIMD)).toMatchObject({ limits: { rpm: 600 }, changedAtRuntime: false });
  });
});
