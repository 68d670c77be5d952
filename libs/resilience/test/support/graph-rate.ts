// Drives Graph-like clients ("replicas") through their guards against the stand-in, and measures what
// reached it. Used by graph.int.spec.ts and by bench/ratelimit.bench.ts.
import type { Redis } from 'ioredis';
import { createDependencyGuard, rateBurst, type DependencyGuard } from '../../src/index.js';
import { GraphLike } from './graph-like.js';
import { maxInWindow } from './redis.js';
import type { Sandbox } from './sandbox.js';

export interface RateRun {
  requests: number;
  seconds: number;
  /** Requests per minute from the first to the last request the stand-in saw. */
  achievedPerMin: number;
  maxIn60s: number;
  /** The most requests sent (client side) in any 5 s. */
  maxSentIn5s: number;
  throttled: number;
}

export function graphGuard(
  api: string,
  redis: Redis | undefined,
  rpm: number,
  writeRpm: number | null,
  capacity = 10,
  burst = rateBurst('graph'), // the preset's, as teams-service runs
): DependencyGuard {
  return createDependencyGuard(
    {
      name: 'graph',
      rate: { api, limits: { rpm, writeRpm }, maxWaitMs: 600_000, burst },
      breaker: { timeoutMs: 10_000, capacity, volumeThreshold: 50, resetTimeoutMs: 5000 },
    },
    { redis },
  );
}

/** `writes` POST /users spread over `replicas` clients with `workers` concurrent callers each. */
export async function runWrites(
  sandbox: Sandbox,
  guards: DependencyGuard[],
  writes: number,
  workers = 8,
): Promise<RateRun> {
  const clients = await Promise.all(guards.map((g) => GraphLike.connect(sandbox, g)));
  sandbox.ctx.counters.reset('graph');
  let left = writes;
  await Promise.all(
    clients.flatMap((c) =>
      Array.from({ length: workers }, async () => {
        while (left > 0) {
          left--;
          await c.createUser();
        }
      }),
    ),
  );
  const t = [...sandbox.ctx.counters.timestamps('graph')].sort((a, b) => a - b);
  const seconds = (t.at(-1)! - t[0]) / 1000;
  return {
    requests: t.length,
    seconds,
    achievedPerMin: ((t.length - 1) / seconds) * 60,
    maxIn60s: maxInWindow(t, 60_000),
    maxSentIn5s: maxInWindow(
      clients.flatMap((c) => c.sent.map((s) => s.sentAt)),
      5000,
    ),
    throttled: sandbox.ctx.counters.total('graph', { status: 429 }),
  };
}
