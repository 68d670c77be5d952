// Guards in front of the Graph stand-in (apps/sandbox), which enforces Entra's throttling and answers
// the fault knobs. Two guards sharing Redis stand for two replicas of teams-service.
import type { Redis } from 'ioredis';
import { GraphLike } from './support/graph-like.js';
import { graphGuard, runWrites } from './support/graph-rate.js';
import { connectRedis, dropKeys, ready, uniqueApi } from './support/redis.js';
import { startSandbox, type Sandbox } from './support/sandbox.js';
import type { DependencyGuard } from '../src/index.js';

let sandbox: Sandbox;
let redis: Redis;
const apis: string[] = [];
const guards: DependencyGuard[] = [];

beforeAll(async () => {
  [sandbox, redis] = await Promise.all([startSandbox(), ready(connectRedis())]);
});
afterEach(() => {
  guards.splice(0).forEach((g) => g.shutdown());
  sandbox.ctx.faults.reset();
  sandbox.graph.store.reset();
  sandbox.graph.store.configure({ throttle: { writeLimit: 3000, writeWindowSeconds: 150 } });
});
afterAll(async () => {
  for (const api of apis) await dropKeys(redis, api);
  redis.disconnect();
  await sandbox.close();
});

function replicas(n: number, rpm: number, writeRpm: number | null): DependencyGuard[] {
  const api = uniqueApi('graph');
  apis.push(api);
  const made = Array.from({ length: n }, () => graphGuard(api, redis, rpm, writeRpm));
  guards.push(...made);
  return made;
}

describe('guards against the Graph stand-in', () => {
  it('two replicas at R against a stand-in enforcing R: zero 429s, and at least 0.9 R achieved', async () => {
    // Entra's write bucket scaled down to a test: 20 writes per second (1,200/min), a bucket of 20, so
    // going even 10% over R would be refused within ~10 s of this ~20 s run: the stand-in is the judge of
    // "never more than R" (zero 429s); the pacing itself is measured in rate-limit.int.spec.ts. The floor
    // only shows the limiter is not safe by being slow: 16 callers, each a Redis reservation, a wake-up
    // check and an HTTPS call on a loaded 2-core CI machine, reached 0.91–0.92 R there (0.95 R as a rule
    // when quiet); 0.9 R, as the no-overshoot test asks.
    // The guards have graph's preset burst (4 writes at once from the idle start): within the stand-in's
    // bucket of 20.
    sandbox.graph.store.configure({ throttle: { writeLimit: 20, writeWindowSeconds: 1 } });
    const pair = replicas(2, 6000, 1200);
    const run = await runWrites(sandbox, pair, 400);
    expect(run.throttled).toBe(0);
    expect(run.requests).toBe(400);
    expect(run.achievedPerMin).toBeGreaterThanOrEqual(0.9 * 1200);
  });

  it('after 429s with Retry-After, no request reaches Graph before the time asked, from either replica', async () => {
    const [a, b] = replicas(2, 6000, null);
    const clients = [await GraphLike.connect(sandbox, a), await GraphLike.connect(sandbox, b)];
    sandbox.ctx.counters.reset('graph');
    // Three 429s: even if one call draws them all, the guard's own retries (3) see it through.
    sandbox.ctx.faults.set('graph', { burst429: 3, retryAfterSeconds: 2 });
    await Promise.all(
      clients.flatMap((c) =>
        Array.from({ length: 3 }, async () => {
          for (let i = 0; i < 4; i++) await c.createUser();
        }),
      ),
    );

    expect(sandbox.ctx.counters.total('graph', { status: 429 })).toBe(3);
    expect(sandbox.ctx.counters.total('graph', { status: 201 })).toBe(24); // every call done in the end
    const sent = clients.flatMap((c) => c.sent);
    const throttledAt = sent.filter((s) => s.status === 429).map((s) => s.answeredAt);
    const seen = sandbox.ctx.counters.timestamps('graph');
    for (const t of throttledAt) {
      // Nothing is sent in the 2 s after a 429 came back (20 ms: the Redis round trip that tells the
      // other replica)...
      expect(sent.filter((s) => s.sentAt > t + 20 && s.sentAt < t + 2000 - 5)).toEqual([]);
      // ...so what the stand-in saw in that time is only the requests that were already on their way
      // (it stamps a request when it answers, and creating a user takes it a while).
      const onTheirWay = sent.filter((s) => s.sentAt <= t + 20 && s.answeredAt > t).length;
      expect(seen.filter((x) => x > t && x < t + 2000 - 5).length).toBeLessThanOrEqual(onTheirWay);
    }
  });

  it('does not open the breaker on permanent 400s (a bad student), but does when Graph is down', async () => {
    const [g] = replicas(1, 6000, null);
    const client = await GraphLike.connect(sandbox, g);
    for (let i = 0; i < 60; i++)
      await expect(client.createUser({ userPrincipalName: `x${i}@gmail.com` })).rejects.toMatchObject({ status: 400 });
    expect(g.state).toBe('closed');
    sandbox.ctx.faults.set('graph', { downUntil: Date.now() + 60_000 });
    // The 400s count as calls that went well, so it takes more 503s than 400s to pass 50% in the window.
    for (let i = 0; i < 200 && g.state === 'closed'; i++) await client.createUser().catch(() => undefined);
    expect(g.state).toBe('open');
  });
});
