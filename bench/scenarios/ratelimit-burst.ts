// The `burst` scenario of npm run bench:ratelimit: callers keep the Graph stand-in busy at R through the
// shared limiter (BENCH_REPLICAS guards on Redis) while it answers BURST_COUNT bursts of BURST_SIZE × 429
// (Retry-After BURST_RETRY_AFTER_S), BURST_GAP_S apart — the faults of the 5,000-student chaos run. Then
// it waits for the rate to come back and prints the time from the last 429 to
//   - the limiter's rate (R × its factor, as every replica reads it from Redis) at ≥ 0.95 R, and
//   - the requests that succeeded in the trailing 10 s at ≥ 0.95 R.
// Knobs: BURST_RPM (600 writes/min: under Entra's quota, so the only 429s are the injected ones),
// BURST_COUNT (3), BURST_SIZE (25), BURST_GAP_S (20), BURST_RETRY_AFTER_S (2), BURST_DEADLINE_S (240).
import type { Redis } from 'ioredis';
import type { DependencyGuard } from '@lucy/resilience';
import { graphGuard } from '../../libs/resilience/test/support/graph-rate.js';
import { GraphLike } from '../../libs/resilience/test/support/graph-like.js';
import { dropKeys, sleep, uniqueApi } from '../../libs/resilience/test/support/redis.js';
import type { Sandbox } from '../../libs/resilience/test/support/sandbox.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

export interface BurstRun {
  rpm: number;
  bursts: number;
  burstSize: number;
  throttled: number;
  /** The lowest factor the limiter reached. */
  minFactor: number;
  /** From the last 429 the stand-in answered to the limiter's rate ≥ 0.95 R; null if not within the deadline. */
  limiterBackMs: number | null;
  /** From the last 429 to ≥ 0.95 R requests succeeding over the trailing 10 s. */
  achievedBackMs: number | null;
  /** Requests per minute that succeeded in the 10 s before the first burst. */
  beforePerMin: number;
}

export async function runBurstBench(
  sandbox: Sandbox,
  redis: Redis,
  replicas: number,
  workers: number,
): Promise<BurstRun> {
  const rpm = num('BURST_RPM', 600);
  const bursts = num('BURST_COUNT', 3);
  const burstSize = num('BURST_SIZE', 25);
  const gapMs = num('BURST_GAP_S', 20) * 1000;
  const retryAfterSeconds = num('BURST_RETRY_AFTER_S', 2);
  const deadline = Date.now() + num('BURST_DEADLINE_S', 240) * 1000;
  const api = uniqueApi('bench-burst');
  const guards: DependencyGuard[] = Array.from({ length: replicas }, () =>
    graphGuard(api, redis, Math.max(6000, rpm), rpm, workers),
  );
  sandbox.graph.store.reset();
  sandbox.ctx.counters.reset('graph');
  const clients = await Promise.all(guards.map((g) => GraphLike.connect(sandbox, g)));
  const arrivals: number[] = [];
  let stop = false;
  const callers = clients.flatMap((c) =>
    Array.from({ length: workers }, async () => {
      while (!stop) {
        // A 429 past the guard's retries: the caller goes on.
        if (
          await c.createUser().then(
            () => true,
            () => false,
          )
        )
          arrivals.push(Date.now());
      }
    }),
  );
  const perMinIn10s = () => (arrivals.filter((t) => t > Date.now() - 10_000).length / 10) * 60;
  const factor = async () => (await guards[0].limiter!.snapshot()).factor;
  let minFactor = 1;
  let throttled = 0;
  let lastThrottleAt = 0;
  // 429s as the stand-in counts them: the time of the last one is when the count last moved.
  const watch = async () => {
    const n = sandbox.ctx.counters.total('graph', { status: 429 });
    if (n !== throttled) {
      throttled = n;
      lastThrottleAt = Date.now();
    }
    minFactor = Math.min(minFactor, await factor());
  };
  try {
    await sleep(12_000); // steady state at R
    const beforePerMin = perMinIn10s();
    for (let b = 0; b < bursts; b++) {
      sandbox.ctx.faults.set('graph', { burst429: burstSize, retryAfterSeconds });
      const next = Date.now() + gapMs;
      while (Date.now() < next) {
        await watch();
        await sleep(200);
      }
    }
    sandbox.ctx.faults.reset('graph'); // what is left of the last burst is not answered: the 429s stop here
    await watch();
    let limiterBackMs: number | null = null;
    let achievedBackMs: number | null = null;
    while ((limiterBackMs === null || achievedBackMs === null) && Date.now() < deadline) {
      await watch();
      const since = Date.now() - lastThrottleAt;
      if (limiterBackMs === null && (await factor()) >= 0.95) limiterBackMs = since;
      if (achievedBackMs === null && perMinIn10s() >= 0.95 * rpm) achievedBackMs = since;
      await sleep(250);
    }
    return { rpm, bursts, burstSize, throttled, minFactor, limiterBackMs, achievedBackMs, beforePerMin };
  } finally {
    stop = true;
    sandbox.ctx.faults.reset('graph');
    await Promise.allSettled(callers);
    guards.forEach((g) => g.shutdown());
    await dropKeys(redis, api);
  }
}

const s = (ms: number | null) => (ms === null ? 'not within the deadline' : `${(ms / 1000).toFixed(1)} s`);

export function reportBurst(r: BurstRun): void {
  console.log(
    [
      `burst: R ${r.rpm} writes/min, ${r.bursts} bursts × ${r.burstSize} 429s`.padEnd(48),
      `before ${Math.round(r.beforePerMin)}/min`.padEnd(16),
      `429s ${r.throttled}, lowest factor ${r.minFactor.toFixed(3)}`.padEnd(34),
      `last 429 → limiter ≥ 0.95 R: ${s(r.limiterBackMs)}`.padEnd(40),
      `→ succeeded ≥ 0.95 R (10 s window): ${s(r.achievedBackMs)}`,
    ].join(' '),
  );
}
