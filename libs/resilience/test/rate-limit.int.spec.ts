// The shared limiter against the real Redis: two instances stand for two replicas of a service.
import type { Redis } from 'ioredis';
import { DEFAULT_AIMD, LocalRateStore, RedisRateStore, SharedRateLimiter, slotsInWindow } from '../src/index.js';
import { connectRedis, dropKeys, maxInWindow, ready, sleep, uniqueApi } from './support/redis.js';

let redis: Redis;
const apis: string[] = [];
beforeAll(async () => {
  redis = await ready(connectRedis());
});
afterAll(async () => {
  for (const api of apis) await dropKeys(redis, api);
  redis.disconnect();
});

// Each replica with the same burst tolerance, as every replica of a service is configured alike.
const BURST = 2;

function replica(api: string, rpm: number, writeRpm?: number, conn: Redis = redis) {
  return new SharedRateLimiter(
    { api, limits: { rpm, writeRpm }, replicas: 2, maxWaitMs: 60_000, burst: BURST },
    new RedisRateStore(conn, api),
  );
}

async function drive(limiter: SharedRateLimiter, kind: 'read' | 'write', until: number, times: number[], workers = 5) {
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        await limiter.acquire(kind);
        if (Date.now() < until) times.push(Date.now());
      }
    }),
  );
}

describe('SharedRateLimiter on Redis', () => {
  it('holds R across two replicas together, evenly paced, and uses all of it', async () => {
    const api = uniqueApi('two-replicas');
    apis.push(api);
    const R = 1200; // per minute: 20 per second, one every 50 ms
    const times: number[] = [];
    const until = Date.now() + 6000;
    await Promise.all([drive(replica(api, R), 'read', until, times), drive(replica(api, R), 'read', until, times)]);

    const sorted = times.sort((a, b) => a - b);
    // The burst goes at once at the start (an idle budget); the rate is what follows it.
    const achievedPerMin = ((sorted.length - 1 - BURST) / (sorted.at(-1)! - sorted[0])) * 60_000;
    expect(achievedPerMin).toBeGreaterThanOrEqual(0.95 * R);
    expect(achievedPerMin).toBeLessThanOrEqual(1.01 * R);
    // Even pacing: no 3 s hold more than their share and the burst tolerance (window-bound.ts). What is
    // measured here is when each caller woke up, which a busy event loop can make a little late (never
    // early): +3 allows ~150 ms of lateness.
    expect(maxInWindow(sorted, 3000)).toBeLessThanOrEqual(slotsInWindow(R, 3000, BURST) + 3);
  });

  it('budgets writes separately from the total, across replicas', async () => {
    const api = uniqueApi('writes');
    apis.push(api);
    const writes: number[] = [];
    const reads: number[] = [];
    const until = Date.now() + 3000;
    const a = replica(api, 1200, 300);
    const b = replica(api, 1200, 300);
    await Promise.all([
      drive(a, 'write', until, writes, 3),
      drive(b, 'write', until, writes, 3),
      drive(a, 'read', until, reads, 3),
      drive(b, 'read', until, reads, 3),
    ]);
    // The slots and the burst (window-bound.ts), + 2: a write may go up to 200 ms (one interval) late and
    // still go (rate-limiter.ts, wokeLate).
    expect(maxInWindow(writes, 2000)).toBeLessThanOrEqual(slotsInWindow(300, 2000, BURST) + 2);
    expect(maxInWindow([...writes, ...reads], 2000)).toBeLessThanOrEqual(slotsInWindow(1200, 2000, BURST) + 3);
    // Writes also queue for the total behind the reads ahead of them, so they get most, not all, of their 15
    // slots; a write whose timer fires more than 200 ms late on a loaded machine takes a new slot
    // (rate-limiter.ts), one fewer.
    expect(writes.length).toBeGreaterThanOrEqual(10);
  });

  it('lets an idle budget send `burst` calls at once, then spaces them — the same slots as the local store', async () => {
    const api = uniqueApi('burst');
    apis.push(api);
    const shared = new RedisRateStore(redis, api);
    const clock = { now: 0 };
    const local = new LocalRateStore(1, () => clock.now);
    const limits = { rpm: 600, writeRpm: 300 };
    const kinds = [true, false, true, true, false, true, true];
    const slots = async (s: RedisRateStore | LocalRateStore) => {
      const out: number[] = [];
      let first: number | undefined;
      for (const write of kinds) {
        const r = await s.reserve(limits, write, 60_000, DEFAULT_AIMD, 2);
        first ??= r.now;
        out.push(Math.round(r.now + r.waitMs - first));
      }
      return out;
    };
    const local0 = await slots(local);
    // Reads 100 ms apart, writes 200 ms apart (and behind the reads), each budget 2 calls ahead when idle:
    // three go at once, then the spacing holds (4 writes in 400 ms: 2 slots + the burst of 2).
    expect(local0).toEqual([0, 0, 0, 100, 200, 300, 400]);
    // Redis's clock moves on by a fraction of a millisecond per call: from the fourth on the slots are TAT's.
    expect((await slots(shared)).slice(3)).toEqual(local0.slice(3));
  });

  it('makes the other replica wait out a 429 seen by one', async () => {
    const api = uniqueApi('429');
    apis.push(api);
    const a = replica(api, 60_000);
    const b = replica(api, 60_000);
    await a.throttled(800);
    const started = Date.now();
    await b.acquire('read');
    expect(Date.now() - started).toBeGreaterThanOrEqual(780);
  });

  it('steps down after repeated 429s for every replica, then recovers', async () => {
    const api = uniqueApi('aimd');
    apis.push(api);
    const a = new SharedRateLimiter(
      { api, limits: { rpm: 600 }, aimd: { recoveryDelayMs: 0, recoveryDoublingMs: 4000 } },
      new RedisRateStore(redis, api),
    );
    const b = replica(api, 600);
    await a.throttled(50);
    await sleep(60);
    const second = await a.throttled(50);
    expect(second).toMatchObject({ decreased: true, factor: 0.5 });
    expect((await b.snapshot()).factor).toBeLessThan(0.6);
    await sleep(2000); // doubling every 4 s (a test's speed): ×√2 after 2 s
    const { factor } = await a.snapshot();
    expect(factor).toBeGreaterThan(0.65);
    expect(factor).toBeLessThan(0.85);
  });

  it('applies a runtime change at every replica, and returns to the configuration', async () => {
    const api = uniqueApi('change');
    apis.push(api);
    const a = replica(api, 600);
    const b = replica(api, 600);
    await a.setLimits({ rpm: 60 });
    expect(await b.snapshot()).toMatchObject({ limits: { rpm: 60 }, changedAtRuntime: true, backend: 'redis' });
    for (let i = 0; i <= BURST; i++) await b.acquire('read'); // the idle budget's burst
    const started = Date.now();
    await b.acquire('read');
    expect(Date.now() - started).toBeGreaterThanOrEqual(990); // 60/min: one a second
    await a.setLimits(null);
    expect(await b.snapshot()).toMatchObject({ limits: { rpm: 600 }, changedAtRuntime: false });
  });

  it('falls back to a limiter in this process at rate / replicas while Redis is unreachable', async () => {
    const nowhere = connectRedis('redis://127.0.0.1:1');
    nowhere.on('error', () => undefined);
    try {
      const limiter = replica(uniqueApi('fallback'), 1200, undefined, nowhere);
      // The burst is shared like the rate: this replica's half of it goes at once.
      for (let i = 0; i <= BURST / 2; i++) await limiter.acquire('read');
      expect(limiter.backend).toBe('local');
      const started = Date.now();
      await limiter.acquire('read');
      expect(Date.now() - started).toBeGreaterThanOrEqual(95); // 1200/min over 2 replicas: 100 ms apart
    } finally {
      nowhere.disconnect();
    }
  });
});
