// npm run bench:footprint — the compiled stack (npm run build) as production runs it: how long each
// service takes to answer /health/ready after its own process starts, and how much memory the five
// services and the sandbox hold when idle.
//
// Three starts on a database and vhost of the bench's own:
//   first       all at once on an empty database (the migrations run in it)
//   sequential  one service after another, each alone on the machine while it starts
//   together    all five at once, as `npm start` does
// After the last start, a SIAL cohort (BENCH_FOOTPRINT_COHORT, 200) is onboarded, the stack is left idle
// for BENCH_FOOTPRINT_IDLE_S (20) seconds, and every process's RSS is read from /proc, beside its V8 heap
// (from its /metrics). Goals: every service ready ≤ 3 s after its own start; ≤ 600 MB RSS in all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../tools/build.js';
import { amqpUrlFor, databaseUrlFor, deleteVhost, dropDatabase, freshVhost } from '../tools/isolation.js';
import { ROOT, SERVICES, startStack, type Stack } from '../tools/stack.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const COHORT = num('BENCH_FOOTPRINT_COHORT', 200);
const IDLE_S = num('BENCH_FOOTPRINT_IDLE_S', 20);
const READY_GOAL_MS = 3000;
const RSS_GOAL_MB = 600;
const VHOST = 'lucy-bench-footprint';

const databaseUrl = databaseUrlFor('lucy_bench_footprint');

async function start(sequential: boolean): Promise<Stack> {
  return startStack({
    portBase: 5800,
    compiled: true,
    sequential,
    varDir: join(ROOT, 'var', 'bench-footprint'),
    env: {
      RABBITMQ_URL: amqpUrlFor(VHOST),
      DATABASE_URL: databaseUrl,
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/13`,
      LOG_LEVEL: 'info',
    },
    serviceEnv: { sandbox: { SANDBOX_SIAL_COHORT: String(COHORT), SANDBOX_SIAL_SEED: '2040' } },
  });
}

const readyTimes = (stack: Stack) =>
  Object.fromEntries(SERVICES.map((s) => [s, Math.round(stack.processes.get(s)!.readyMs ?? NaN)]));

/** Resident memory of a process, from /proc (Linux), in MB. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The V8 heap in use, in MB, from a process's Prometheus metrics (prom-client's default metrics). */
async function heapMb(url: string): Promise<number> {
  const text = await fetch(url.replace(/\/health\/ready$/, '/metrics'))
    .then((r) => r.text())
    .catch(() => '');
  const m = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(text);
  return m ? Number(m[1]) / 2 ** 20 : NaN;
}

async function onboardCohort(stack: Stack): Promise<number> {
  const headers = { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' };
  const api = `${stack.urls.gateway}/api/v1`;
  const { loteId } = (await (await fetch(`${api}/sync/sial`, { method: 'POST', headers, body: '{}' })).json()) as {
    loteId: string;
  };
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const l = (await (await fetch(`${api}/lotes/${loteId}`, { headers })).json()) as { estado: string; total: number };
    if (l.estado === 'terminado' || l.estado === 'fallido') return l.total;
  }
}

async function main() {
  const compiled = await build();
  console.log(`compiled ${compiled} files into dist/`);
  await freshVhost(VHOST);
  await dropDatabase(databaseUrl);
  const runs: Record<string, Record<string, number>> = {};
  try {
    for (const [name, sequential] of [
      ['first', false],
      ['sequential', true],
      ['together', false],
    ] as const) {
      const stack = await start(sequential);
      runs[name] = readyTimes(stack);
      if (name !== 'together') {
        await stack.stop();
        continue;
      }
      const students = await onboardCohort(stack);
      console.log(`onboarded ${students} students; idle for ${IDLE_S} s`);
      await new Promise((r) => setTimeout(r, IDLE_S * 1000));
      const memory = await Promise.all(
        [...stack.processes.values()].map(async (p) => ({
          process: p.name,
          rssMb: Math.round(rssMb(p.child.pid!)),
          heapUsedMb: Math.round(await heapMb(p.url)),
        })),
      );
      await stack.stop();
      report(runs, memory);
    }
  } finally {
    await deleteVhost(VHOST).catch(() => undefined);
  }
}

function report(runs: Record<string, Record<string, number>>, memory: { process: string; rssMb: number }[]) {
  console.log('\nready after its own process started (ms)');
  console.table(
    Object.fromEntries(SERVICES.map((s) => [s, Object.fromEntries(Object.entries(runs).map(([r, t]) => [r, t[s]]))])),
  );
  console.log(`idle memory (after ${COHORT} students, ${IDLE_S} s idle)`);
  console.table(memory);
  const total = memory.reduce((a, m) => a + m.rssMb, 0);
  const worstReady = Math.max(...Object.values(runs.sequential), ...Object.values(runs.together));
  const worst = (run: string) => Math.max(...Object.values(runs[run]));
  const json = {
    rssMb: total,
    readySequentialMs: worst('sequential'),
    readyTogetherMs: worst('together'),
    runs,
    memory,
  };
  console.table([
    {
      figure: 'RSS, five services + sandbox, idle',
      value: `${total} MB`,
      goal: `≤ ${RSS_GOAL_MB} MB`,
      met: total <= RSS_GOAL_MB,
    },
    {
      figure: 'slowest service ready (sequential, together)',
      value: `${worstReady} ms`,
      goal: `≤ ${READY_GOAL_MS} ms`,
      met: worstReady <= READY_GOAL_MS,
    },
  ]);
  console.log(JSON.stringify({ bench: 'footprint', ...json }));
}

await main();
