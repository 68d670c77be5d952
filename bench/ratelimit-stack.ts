// The end-to-end half of bench:ratelimit: students onboarded through the whole stack (every service as
// its own process, the sandbox, the real RabbitMQ, PostgreSQL and Redis) with the Graph stand-in
// enforcing Entra's documented write quota (3,000 writes per 150 s per application and tenant).
//
//   stack       the default presets; 500 students (BENCH_STACK_STUDENTS). Graph's write budget, 1,100/min,
//               is the bound: 2 writes per student, floor ≈ 55 s. The Moodle and SMTP stand-ins enforce
//               no rate, so their limits are raised to 6,000/min here (a real relay's 30/min would make
//               the emails, not Graph, take 17 min for 500: see the README).
//   stack-seed  the seed's preset for every API (GRAPH/MOODLE/SMTP_RATE_PRESET=seed, 10 students/min);
//               50 students (BENCH_SEED_STUDENTS): floor ≈ 5 min.
//
// The SIAL stand-in generates a cohort of the asked size with some awkward rows the registry refuses
// (no DNI, duplicates, ...): the number actually onboarded is printed with the time.
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { getJson, postJson, putJson, waitFor } from '@lucy/testing';
import { e2eEnvironment } from '../e2e/support/environment.js';
import { gatewayApi } from '../e2e/support/gateway-api.js';
import { ROOT, startStack, type Stack } from '../tools/stack.js';

export interface StackScenario {
  key: 'stack' | 'stack-seed';
  label: string;
  students: number;
  preset: 'default' | 'seed';
}

export interface StackRun {
  label: string;
  /** Students the lote registered (the cohort minus the rows SIAL's stand-in makes invalid). */
  students: number;
  completados: number;
  conAvisos: number;
  fallidos: number;
  /** From the pull to the last Graph write (every account created and licensed). */
  graphSeconds: number;
  /** From the pull to every workflow settled (accounts, Moodle, email). */
  onboardSeconds: number;
  graphWrites: number;
  writesPerMin: number;
  maxWritesIn60s: number;
  throttled: number;
}

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

export const STACK_SCENARIOS: Record<StackScenario['key'], StackScenario> = {
  stack: {
    key: 'stack',
    label: 'stack, default presets',
    students: num('BENCH_STACK_STUDENTS', 500),
    preset: 'default',
  },
  'stack-seed': {
    key: 'stack-seed',
    label: 'stack, seed preset (10 students/min)',
    students: num('BENCH_SEED_STUDENTS', 50),
    preset: 'seed',
  },
};

/** The SIAL cohort size whose valid students come closest to the number wanted (about 1% of its rows are refused). */
const cohortFor = (students: number) => Math.round(students * 1.01);

interface Peticion {
  at: number;
  endpoint: string;
  status: number;
}

function maxInWindow(times: number[], ms: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j] - times[i] >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

export async function runStackBench(s: StackScenario): Promise<StackRun> {
  const env = await e2eEnvironment(`bench-${s.key}`);
  const redisUrl = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/8`;
  await forgetRateState(redisUrl);
  const presets: Record<string, string> =
    s.preset === 'seed'
      ? { GRAPH_RATE_PRESET: 'seed', MOODLE_RATE_PRESET: 'seed', SMTP_RATE_PRESET: 'seed' }
      : { MOODLE_RPM: '6000', SMTP_RPM: '6000' };
  let stack: Stack | undefined;
  try {
    stack = await startStack({
      portBase: s.preset === 'seed' ? 5400 : 5300,
      varDir: join(ROOT, 'var', `bench-${s.key}`),
      env: {
        RABBITMQ_URL: env.rabbitmqUrl,
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: redisUrl,
        LOG_LEVEL: 'warn',
        RETRY_DELAYS_MS: '1000,5000,15000,30000',
        ...presets,
      },
      serviceEnv: {
        sandbox: { SANDBOX_SIAL_COHORT: '10' },
        // Every student of the lote released at once: the rate limits, not the release window, set the pace.
        'ingest-service': { BATCH_SIZE: '1000' },
      },
      readyTimeoutMs: 120_000,
    });
    const st = stack;
    const admin = (path: string) => `${st.urls.sandboxAdmin}/_admin${path}`;
    const gw = gatewayApi(() => st);
    // Entra's write quota per application and tenant (the stand-in's default, set again to be explicit).
    await postJson(admin('/graph/config'), { throttle: { enabled: true, writeLimit: 3000, writeWindowSeconds: 150 } });
    await putJson(admin('/sial/config'), { seed: 9000 + s.students, size: cohortFor(s.students) });

    const started = Date.now();
    const { loteId } = await gw.post<{ loteId: string }>('/sync/sial');
    const p = await waitFor(
      async () => {
        const x = await gw.get<{
          total: number;
          enCurso: number;
          pendientes: number;
          completados: number;
          conAvisos: number;
          fallidos: number;
        }>(`/lotes/${loteId}`);
        return x.total > 0 && x.enCurso === 0 && x.pendientes === 0 && x;
      },
      `lote ${loteId} to settle`,
      { everyMs: 500, retryErrors: true, timeoutMs: s.preset === 'seed' ? 1_800_000 : 900_000 },
    );
    const onboardSeconds = (Date.now() - started) / 1000;
    const seen = (await getJson<{ requests: Peticion[] }>(admin(`/counters/requests?target=graph&since=${started}`)))
      .requests;
    const writes = seen.filter((r) => !r.endpoint.startsWith('GET ')).map((r) => r.at);
    const graphSeconds = (writes.at(-1)! - started) / 1000;
    return {
      label: s.label,
      students: p.total,
      completados: p.completados,
      conAvisos: p.conAvisos,
      fallidos: p.fallidos,
      graphSeconds,
      onboardSeconds,
      graphWrites: writes.length,
      writesPerMin: ((writes.length - 1) / ((writes.at(-1)! - writes[0]) / 1000)) * 60,
      maxWritesIn60s: maxInWindow(writes, 60_000),
      throttled: seen.filter((r) => r.status === 429).length,
    };
  } finally {
    await stack?.stop();
    await env.dispose();
    await forgetRateState(redisUrl).catch(() => undefined);
    await dropDatabase(env.databaseUrl).catch(() => undefined);
  }
}

async function dropDatabase(url: string): Promise<void> {
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const db = new pg.Client({ connectionString: adminUrl.toString() });
  await db.connect();
  try {
    await db.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await db.end();
  }
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

export function reportStack(r: StackRun): void {
  console.log(
    [
      r.label.padEnd(48),
      `${r.students} students (${r.completados} completados, ${r.conAvisos} con avisos, ${r.fallidos} fallidos)`.padEnd(
        58,
      ),
      `accounts in ${fmt(r.graphSeconds, 1)} s, onboarded in ${fmt(r.onboardSeconds, 1)} s`.padEnd(44),
      `Graph writes ${fmt(r.graphWrites)} at ${fmt(r.writesPerMin, 1)}/min, max 60 s window ${fmt(r.maxWritesIn60s)}`.padEnd(
        54,
      ),
      `429s ${r.throttled}`,
    ].join(' '),
  );
}

async function forgetRateState(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys('lucy:ratelimit:*');
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
