// npm run bench:reconciliacion — one reconciliation of BENCH_RECONCILIACION_STUDENTS (20,000) settled students,
// through the API (POST /api/v1/reconciliaciones), at the default rate presets: Graph 6,000 requests/min, Moodle
// 300 calls/min, every read taking its slot of the same shared budgets as everything else (Redis), and the
// Graph stand-in enforcing a medium tenant's resource-unit quota (5,000 per 10 s) rather than the large one
// 20,000 users would earn. The compiled services run as their own processes; the stand-ins run in this process,
// so the students are seeded straight into their state and the registry's tables (support/padron.ts), with a
// few differences made on purpose. Prints the total time, each system's, the Graph delta pages and the Moodle
// calls made, the budget used against each preset, and the differences found per kind, which must be the drift
// seeded. Goal: within the Graph read budget of a medium tenant (no 429, the busiest 10 s under its quota).
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '@lucy/sandbox';
import { build } from '../tools/build.js';
import { amqpUrlFor, databaseUrlFor, deleteVhost, dropDatabase, freshVhost } from '../tools/isolation.js';
import { ROOT, startStack, type Stack } from '../tools/stack.js';
import { requestCost } from '../apps/sandbox/src/graph/throttle.js';
import { DERIVA, sembrar } from './support/padron.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const STUDENTS = num('BENCH_RECONCILIACION_STUDENTS', 20_000);
const PORT_BASE = 6060; // services on 6060–6064, the stand-ins on 6070–6076
const VHOST = 'lucy-bench-reconciliacion';
const databaseUrl = databaseUrlFor('lucy_bench_reconciliacion');
const VAR_DIR = join(ROOT, 'var', 'bench-reconciliacion');
/** Lucy's default presets (libs/resilience rate/presets.ts) and a medium tenant's quota (the Graph stand-in's). */
const GRAPH_RPM = 6000;
const MOODLE_RPM = 300;
const MEDIUM_RU_PER_10S = 5000;
const DELTA = 'GET /users/delta';

interface Reconciliacion {
  estado: 'en_curso' | 'terminada' | 'fallida';
  error: string | null;
  diferencias: number;
  porTipo: Record<string, number>;
  sistemas: Record<string, { estado: string; completa?: boolean; revisados?: number }>;
}

/** The largest sum of weights within any `windowMs` (`at` ascending; each weighs 1 unless said). */
function busiest(at: readonly number[], windowMs: number, weight: (i: number) => number = () => 1): number {
  let most = 0;
  let sum = 0;
  for (let i = 0, j = 0; j < at.length; j++) {
    sum += weight(j);
    for (; at[j] - at[i] >= windowMs; i++) sum -= weight(i);
    most = Math.max(most, sum);
  }
  return most;
}

/** A request's resource units as the Graph stand-in charges them, without its query ($select takes one off). */
const resourceUnits = (endpoint: string) => {
  const [method, template] = endpoint.split(' ');
  return requestCost(method, template, new URLSearchParams()).ru;
};

async function main() {
  await build();
  await freshVhost(VHOST);
  await dropDatabase(databaseUrl);
  let sandbox: RunningSandbox | undefined;
  let stack: Stack | undefined;
  try {
    const b = PORT_BASE + 10;
    sandbox = await startSandbox({
      ports: { admin: b, identity: b + 1, graph: b + 2, moodle: b + 3, sial: b + 4, smtp: b + 5, mailbox: b + 6 },
      stateDir: join(VAR_DIR, 'sandbox'),
      env: {},
      log: () => undefined,
    });
    sandbox.graph!.store.configure({ tenantSize: 'medium' });
    stack = await startStack({
      portBase: PORT_BASE,
      sandbox: false,
      compiled: true,
      varDir: VAR_DIR,
      env: {
        RABBITMQ_URL: amqpUrlFor(VHOST),
        DATABASE_URL: databaseUrl,
        REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/2`,
        LOG_LEVEL: 'warn',
        // Where the in-process stand-ins listen; no rate is set, so every service runs its default preset.
        GRAPH_AUTHORITY_HOST: sandbox.urls.identity!,
        GRAPH_BASE_URL: sandbox.urls.graph!,
        GRAPH_CA_FILE: sandbox.caFile!,
        MOODLE_URL: sandbox.urls.moodle,
        SIAL_URL: sandbox.urls.sial,
        SMTP_HOST: sandbox.smtp.host,
        SMTP_PORT: String(sandbox.smtp.port),
      },
      readyTimeoutMs: 120_000,
    });
    const seedStarted = Date.now();
    const esperado = await sembrar(sandbox, databaseUrl, STUDENTS);
    console.log(`${STUDENTS} students seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const api = `${stack.urls.gateway}/api/v1`;
    const headers = { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' };
    const counters = sandbox.ctx.counters;
    counters.reset();
    const started = Date.now();
    const res = await fetch(`${api}/reconciliaciones`, { method: 'POST', headers, body: '{"reparar":false}' });
    if (res.status !== 202 && res.status !== 201) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    const terminado: Record<string, number> = {};
    let r: Reconciliacion;
    let last = '';
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      r = (await (await fetch(`${api}/reconciliaciones/${id}?limit=1`, { headers })).json()) as Reconciliacion;
      for (const [s, e] of Object.entries(r.sistemas))
        if (e.estado !== 'pendiente' && terminado[s] === undefined) terminado[s] = (Date.now() - started) / 1000;
      const delta = counters.total('graph', { endpoint: DELTA });
      const line = `${r.estado}: Graph ${delta} delta pages, Moodle ${counters.total('moodle')} calls`;
      if (line !== last) console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s  ${line}`);
      last = line;
      if (r.estado !== 'en_curso') break;
    }
    const seconds = (Date.now() - started) / 1000;
    if (r.estado !== 'terminada') throw new Error(`the reconciliation ended ${r.estado}: ${r.error}`);

    const graph = counters.requests('graph');
    const moodle = counters.requests('moodle');
    const graph429 = graph.filter((q) => q.status === 429).length;
    const moodle429 = moodle.filter((q) => q.status === 429).length;
    const deltaPages = graph.filter((q) => q.endpoint === DELTA).length;
    const graphPeakMinute = busiest(
      graph.map((q) => q.at),
      60_000,
    );
    const ruPeak10s = busiest(
      graph.map((q) => q.at),
      10_000,
      (i) => resourceUnits(graph[i].endpoint),
    );
    const moodlePeakMinute = busiest(
      moodle.map((q) => q.at),
      60_000,
    );
    const moodleCalls = Object.fromEntries(counters.list('moodle').map((c) => [c.endpoint, c.count]));
    const span = (rs: { at: number }[]) => (rs.length ? (rs[rs.length - 1].at - rs[0].at) / 1000 : 0);
    const withinBudget = graph429 === 0 && ruPeak10s <= MEDIUM_RU_PER_10S && graphPeakMinute <= GRAPH_RPM;
    const iguales =
      JSON.stringify(Object.entries(r.porTipo).sort()) === JSON.stringify(Object.entries(esperado).sort());

    console.log(`\n${STUDENTS} students reconciled in ${seconds.toFixed(1)} s`);
    console.table([
      { system: 'entra', seconds: terminado.entra, readsSeconds: +span(graph).toFixed(1), requests: graph.length },
      { system: 'moodle', seconds: terminado.moodle, readsSeconds: +span(moodle).toFixed(1), requests: moodle.length },
    ]);
    console.table([
      {
        budget: 'Graph requests, busiest minute',
        used: graphPeakMinute,
        of: `${GRAPH_RPM}/min (default preset)`,
        '429': graph429,
      },
      {
        budget: 'Graph resource units, busiest 10 s',
        used: ruPeak10s,
        of: `${MEDIUM_RU_PER_10S} (medium tenant)`,
        '429': graph429,
      },
      {
        budget: 'Moodle calls, busiest minute',
        used: moodlePeakMinute,
        of: `${MOODLE_RPM}/min (default preset)`,
        '429': moodle429,
      },
    ]);
    console.log('Moodle calls by function:', moodleCalls);
    console.table(
      Object.keys({ ...DERIVA, ...r.porTipo }).map((tipo) => ({
        kind: tipo,
        found: r.porTipo[tipo] ?? 0,
        seeded: esperado[tipo] ?? 0,
      })),
    );
    console.table([
      {
        figure: `${STUDENTS} students reconciled`,
        value: `${seconds.toFixed(1)} s`,
        goal: 'within the Graph read budget of a medium tenant',
        met: withinBudget,
      },
      { figure: 'differences found = drift seeded', value: r.diferencias, goal: '', met: iguales },
    ]);
    console.log(
      JSON.stringify({
        bench: 'reconciliacion',
        students: STUDENTS,
        seconds,
        systemSeconds: terminado,
        graph: { deltaPages, requests: graph.length, peakPerMinute: graphPeakMinute, ruPeak10s, throttled: graph429 },
        moodle: {
          calls: moodle.length,
          byFunction: moodleCalls,
          peakPerMinute: moodlePeakMinute,
          throttled: moodle429,
        },
        presets: { graphRpm: GRAPH_RPM, moodleRpm: MOODLE_RPM, mediumRuPer10s: MEDIUM_RU_PER_10S },
        withinBudget,
        porTipo: r.porTipo,
        seeded: esperado,
        driftMatches: iguales,
      }),
    );
    if (!iguales) process.exitCode = 1;
  } finally {
    await stack?.stop();
    await sandbox?.close();
    await deleteVhost(VHOST).catch(() => undefined);
  }
}

await main();
