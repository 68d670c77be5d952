// npm run bench:ratelimit — the shared rate limiter against the Graph stand-in enforcing Entra's
// documented write quota (3,000 writes per 150 s per application and tenant), through libs/resilience's
// guard, as BENCH_REPLICAS "replicas" (guards sharing Redis) with BENCH_WORKERS concurrent callers each.
// Prints, per scenario: requests, seconds, achieved rate, the maximum seen in any 60 s window, 429s.
//
// Scenarios (BENCH_SCENARIOS, comma-separated):
//   default  R = the Graph default preset (1,100 writes/min), 1,000 POST /users — the Graph writes of
//            500 students at two writes each (floor at R: ~55 s).
//   seed     R = the seed preset (20 writes/min = 10 students/min), BENCH_SEED_WRITES (100: 50 students;
//            floor 5 min). Not in the default list: it takes minutes.
//   custom   R = BENCH_RPM writes/min, BENCH_WRITES writes.
//   stack    the whole stack (ingest → teams → moodle → mail, each its own process) onboarding
//            BENCH_STACK_STUDENTS (500) from SIAL, default presets (bench/ratelimit-stack.ts): time to
//            every account and to every workflow settled. Goal ≤ 60 s (floor at 1,100 writes/min ≈ 55 s).
//   stack-seed  the same with the seed's preset (10 students/min), BENCH_SEED_STUDENTS (50): ≈ 5 min, so
//            not in the default list.
//   burst    R = 600 writes/min while the stand-in answers three bursts of 25 × 429 (bench/scenarios/
//            ratelimit-burst.ts, its knobs there): the time from the last 429 to the rate back at ≥ 0.95 R
//            (about 2 minutes in all).
// Knobs: BENCH_SCENARIOS (default,stack,burst: about 5 minutes), BENCH_RPM (1100), BENCH_WRITES (1000),
// BENCH_SEED_WRITES (100), BENCH_STACK_STUDENTS (500), BENCH_SEED_STUDENTS (50), BENCH_REPLICAS (2),
// BENCH_WORKERS (8), REDIS_URL.
import 'reflect-metadata';
import { ratePreset, type DependencyGuard } from '@lucy/resilience';
import { graphGuard, runWrites, type RateRun } from '../libs/resilience/test/support/graph-rate.js';
import { connectRedis, dropKeys, ready, uniqueApi } from '../libs/resilience/test/support/redis.js';
import { startSandbox, type Sandbox } from '../libs/resilience/test/support/sandbox.js';
import { reportStack, runStackBench, STACK_SCENARIOS } from './ratelimit-stack.js';
import { reportBurst, runBurstBench } from './scenarios/ratelimit-burst.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const replicas = num('BENCH_REPLICAS', 2);
const workers = num('BENCH_WORKERS', 8);

interface Scenario {
  key: string;
  label: string;
  writeRpm: number;
  writes: number;
}

const graphDefault = ratePreset('graph', 'default');
const graphSeed = ratePreset('graph', 'seed');
const SCENARIOS: Record<string, Scenario> = {
  default: {
    key: 'default',
    label: `default preset, 500 students (2 writes each)`,
    writeRpm: graphDefault.writeRpm!,
    writes: 1000,
  },
  seed: {
    key: 'seed',
    label: 'seed preset (10 students/min), 50 students',
    writeRpm: graphSeed.writeRpm!,
    writes: num('BENCH_SEED_WRITES', 100),
  },
  custom: {
    key: 'custom',
    label: 'BENCH_RPM / BENCH_WRITES',
    writeRpm: num('BENCH_RPM', 1100),
    writes: num('BENCH_WRITES', 1000),
  },
};

/** One scenario: fresh limiter state (its own Redis key), the stand-in's buckets refilled. */
export async function runGraphRateBench(
  sandbox: Sandbox,
  redisUrl: string | undefined,
  s: Scenario,
): Promise<RateRun & { configuredPerMin: number }> {
  const redis = await ready(connectRedis(redisUrl));
  const api = uniqueApi(`bench-${s.key}`);
  const guards: DependencyGuard[] = Array.from({ length: replicas }, () =>
    graphGuard(api, redis, Math.max(6000, s.writeRpm), s.writeRpm, workers),
  );
  try {
    sandbox.graph.store.reset();
    const run = await runWrites(sandbox, guards, s.writes, workers);
    return { ...run, configuredPerMin: s.writeRpm };
  } finally {
    guards.forEach((g) => g.shutdown());
    await dropKeys(redis, api);
    redis.disconnect();
  }
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

export function report(label: string, r: RateRun & { configuredPerMin: number }): void {
  console.log(
    [
      label.padEnd(48),
      `R ${fmt(r.configuredPerMin)}/min`.padEnd(14),
      `${fmt(r.requests)} req in ${fmt(r.seconds, 1)} s`.padEnd(22),
      `achieved ${fmt(r.achievedPerMin, 1)}/min (${fmt((100 * r.achievedPerMin) / r.configuredPerMin, 1)}% of R)`.padEnd(
        36,
      ),
      `max 60 s window ${fmt(r.maxIn60s)}`.padEnd(22),
      `429s ${r.throttled}`,
    ].join(' '),
  );
}

async function main(): Promise<void> {
  const keys = (process.env.BENCH_SCENARIOS ?? 'default,stack,burst')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const sandbox = await startSandbox(); // the Graph stand-in with Entra's write quota: 3,000 per 150 s
  const results: Record<string, unknown> = {};
  try {
    console.log(
      `bench:ratelimit — Graph stand-in enforcing 3,000 writes / 150 s; ${replicas} replicas × ${workers} callers sharing Redis`,
    );
    for (const key of keys) {
      if (key === 'stack' || key === 'stack-seed') {
        const r = await runStackBench(STACK_SCENARIOS[key]);
        reportStack(r);
        results[key] = r;
        continue;
      }
      if (key === 'burst') {
        const redis = await ready(connectRedis(process.env.REDIS_URL));
        try {
          const r = await runBurstBench(sandbox, redis, replicas, workers);
          reportBurst(r);
          results[key] = r;
        } finally {
          redis.disconnect();
        }
        continue;
      }
      const s = SCENARIOS[key];
      if (!s) throw new Error(`unknown scenario ${key} (default, seed, custom, stack, stack-seed, burst)`);
      const r = await runGraphRateBench(sandbox, process.env.REDIS_URL, s);
      report(s.label, r);
      results[key] = r;
    }
  } finally {
    await sandbox.close();
  }
  console.log(JSON.stringify({ bench: 'ratelimit', replicas, workers, results }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
