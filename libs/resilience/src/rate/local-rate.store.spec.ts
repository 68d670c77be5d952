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

  it('lets an idle budget send `burst` calls beyond the spacing, then spaces them again', async () => {
    const { s, clock } = store();
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD, 2)).waitMs);
    expect(waits).toEqual([0, 0, 0, 100, 200]);
    // Idle again only once TAT is behind the clock: 300 ms after the last slot, the tolerance is whole again.
    clock.now += 500;
    const again = [];
    for (let i = 0; i < 4; i++) again.push((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD, 2)).waitMs);
    expect(again).toEqual([0, 0, 0, 100]);
  });

  it('never grants more than R·W/60 + burst slots in any window, whenever the calls come', async () => {
    const { s, clock } = store();
    const T = 100; // 600/min
    const slots: number[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 3000; i++) {
      clock.now += random() < 0.3 ? random() * 400 : 0; // idle stretches and crowds
      const r = await s.reserve({ rpm: 600 }, false, 600_000, DEFAULT_AIMD, 3);
      slots.push(r.now + r.waitMs);
    }
    slots.sort((a, b) => a - b);
    for (const W of [T, 1000, 10_000]) {
      let most = 0;
      for (let i = 0, j = 0; j < slots.length; j++) {
        while (slots[j] - slots[i] >= W) i++;
        most = Math.max(most, j - i + 1);
      }
      expect(most).toBeLessThanOrEqual(W / T + 3);
    }
  });

  it('gives no burst while a 429 pause is in force: the calls it held are spaced at its end', async () => {
    const { s } = store();
    await s.throttled(1000, DEFAULT_AIMD, DEFAULT_BACKOFF);
    const waits = [];
    for (let i = 0; i < 3; i++) waits.push((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD, 4)).waitMs);
    expect(waits).toEqual([1000, 1100, 1200]);
  });

  it('applies the burst to the write budget too, and shares it like the rate in a fallback', async () => {
    const { s } = store();
    const limits = { rpm: 6000, writeRpm: 60 };
    const writes = [];
    for (let i = 0; i < 3; i++) writes.push((await s.reserve(limits, true, 60_000, DEFAULT_AIMD, 1)).waitMs);
    expect(writes).toEqual([0, 0, 1000]);
    const half = store(2).s; // two replicas falling back: 30 writes/min each and half the burst
    const shared = [];
    for (let i = 0; i < 3; i++) shared.push((await half.reserve(limits, true, 60_000, DEFAULT_AIMD, 2)).waitMs);
    expect(shared).toEqual([0, 0, 2000]);
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

  it('steps the rate down after repeated 429s and doubles it back once they stop', async () => {
    const { s, clock } = store();
    await s.throttled(1000, DEFAULT_AIMD, DEFAULT_BACKOFF);
    clock.now += 1500;
    const second = await s.throttled(1000, DEFAULT_AIMD, DEFAULT_BACKOFF);
    expect(second).toMatchObject({ decreased: true, factor: 0.5 });
    clock.now += DEFAULT_AIMD.recoveryDelayMs;
    expect((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD)).rpm).toBe(300); // quiet, not yet climbing
    clock.now += DEFAULT_AIMD.recoveryDoublingMs / 2;
    expect((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD)).rpm).toBeCloseTo(600 * 0.5 * Math.SQRT2, 3);
    clock.now += DEFAULT_AIMD.recoveryDoublingMs / 2;
    expect((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD)).rpm).toBe(600);
  });

  it('is back at 95% of the rate within 2 minutes of the last 429, even from the floor', async () => {
    const { s, clock } = store();
    // Three bursts of 429s, each long enough for two episodes: ×0.5 per burst, then the floor.
    for (let burst = 0; burst < 5; burst++) {
      for (let episode = 0; episode < 2; episode++) {
        await s.throttled(1000, DEFAULT_AIMD, DEFAULT_BACKOFF);
        clock.now += 1000;
      }
      clock.now += 5000;
    }
    const lastThrottle = clock.now - 5000 - 1000;
    expect((await s.snapshot({ rpm: 600 }, DEFAULT_AIMD)).factor).toBeLessThan(0.15);
    while ((await s.snapshot({ rpm: 600 }, DEFAULT_AIMD)).factor < 0.95) clock.now += 1000;
    const backInMs = clock.now - lastThrottle;
    expect(backInMs).toBeLessThanOrEqual(120_000);
    expect(backInMs).toBeGreaterThan(40_000); // not at once: about log2(0.95 / 0.1) doublings
  });

  it('does not climb while 429s keep coming, and slows again at every second episode', async () => {
    const { s, clock } = store();
    const factors: number[] = [];
    for (let i = 0; i < 6; i++) {
      factors.push((await s.throttled(2000, DEFAULT_AIMD, DEFAULT_BACKOFF)).factor);
      clock.now += 15_000; // well past each pause, within the strike window
    }
    expect(factors).toEqual([1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  });

  it('still honours a Retry-After while the rate recovers', async () => {
    const { s, clock } = store();
    await s.throttled(1000, DEFAULT_AIMD, DEFAULT_BACKOFF);
    clock.now += 1500;
    await s.throttled(1000, DEFAULT_AIMD, DEFAULT_BACKOFF);
    clock.now += 30_000;
    expect((await s.throttled(7000, DEFAULT_AIMD, DEFAULT_BACKOFF)).waitMs).toBe(7000);
    expect((await s.reserve({ rpm: 600 }, false, 60_000, DEFAULT_AIMD)).waitMs).toBe(7000);
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
    expect(await s.snapshot({ rpm: 600 }, DEFAULT_AIMD)).toMatchObject({
      limits: { rpm: 600 },
      changedAtRuntime: false,
    });
  });
});
