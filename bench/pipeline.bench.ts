// npm run bench:pipeline — what Lucy itself can carry: BENCH_PIPELINE_STUDENTS (10,000) students pulled from
// SIAL through every service, each its own compiled process, with full durability (inbox, outbox, publisher
// confirms, one transaction per step) and the stand-ins enforcing no limit (Graph's quota off, every rate
// limit raised out of the way). Prints students/s beside the raw broker's 4-hop ceiling measured in the same
// run (plain amqplib, as bench:messaging's baseline: a student's onboarding crosses the broker more than four
// times), and where the CPU went, per process (/proc: user + system time during the run): PostgreSQL both
// as this run's own backends (those connected to its database) and as every postgres process, which on a
// shared machine includes other people's databases and the server's background writers.
// BENCH_PIPELINE_WINDOW sets ingest's release window (BATCH_SIZE, default 20): how many new students are in
// flight at once. Goal: ≥ 200 students/s on 2 cores.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../tools/build.js';
import { amqpUrlFor, databaseUrlFor, deleteVhost, dropDatabase, freshVhost } from '../tools/isolation.js';
import { ROOT, startStack, type Stack } from '../tools/stack.js';
import { rawAmqplibRelay } from './scenarios/raw-amqplib.js';
import { runScenario } from './support/driver.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const STUDENTS = num('BENCH_PIPELINE_STUDENTS', 10_000);
const WINDOW = process.env.BENCH_PIPELINE_WINDOW;
const IDLE_MS = 10_000;
const GOAL = 200;
const VHOST = 'lucy-bench-pipeline';
const databaseUrl = databaseUrlFor('lucy_bench_pipeline');
const NO_LIMIT = '1000000';
const TICK = 100; // USER_HZ: /proc's clock ticks per second on Linux

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK; // utime, stime (fields 14 and 15)
}

/** The CPU seconds of every process whose command matches (RabbitMQ's beam.smp, PostgreSQL's backends). */
function cpuOf(pattern: string): Map<number, number> {
  let pids: number[];
  try {
    pids = execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').map(Number);
  } catch {
    return new Map(); // none, or no pgrep here
  }
  const out = new Map<number, number>();
  for (const pid of pids)
    try {
      out.set(pid, cpuSeconds(pid));
    } catch {
      // ended meanwhile
    }
  return out;
}
const spent = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((a, [pid, t]) => a + t - (before.get(pid) ?? 0), 0);

async function main() {
  const raw = await runScenario('raw', 'raw amqplib, 4 hops', rawAmqplibRelay);
  const ceiling = raw.measured?.itemsPerSec ?? NaN;
  await build();
  await freshVhost(VHOST);
  await dropDatabase(databaseUrl);
  let stack: Stack | undefined;
  try {
    stack = await startStack({
      portBase: 5950,
      compiled: true,
      varDir: join(ROOT, 'var', 'bench-pipeline'),
      env: {
        RABBITMQ_URL: amqpUrlFor(VHOST),
        DATABASE_URL: databaseUrl,
        REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/11`,
        LOG_LEVEL: 'warn',
        GRAPH_RPM: NO_LIMIT,
        GRAPH_WRITE_RPM: NO_LIMIT,
        MOODLE_RPM: NO_LIMIT,
        SMTP_RPM: NO_LIMIT,
      },
      serviceEnv: { 'ingest-service': { AUSENCIAS_PARA_BAJA: '0', ...(WINDOW ? { BATCH_SIZE: WINDOW } : {}) } },
      readyTimeoutMs: 120_000,
    });
    const st = stack;
    const admin = (path: string) => `${st.urls.sandboxAdmin}/_admin${path}`;
    const send = (url: string, method: string, body: unknown) =>
      fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await send(admin('/graph/config'), 'POST', { throttle: { enabled: false } });
    await send(admin('/sial/config'), 'PUT', { seed: 7000, size: Math.round(STUDENTS * 1.01) });
    const headers = { authorization: `Bearer ${st.adminToken}`, 'content-type': 'application/json' };
    const api = `${st.urls.gateway}/api/v1`;

    const pids = [...st.processes.values()].map((p) => ({ name: p.name, pid: p.child.pid! }));
    // What each process spends idle (timers, relays, probes) goes on while the run lasts: on a loaded machine a
    // run takes longer and its CPU per student grows with no more work per student. Measured before the run
    // and taken off in the `net` column, which is what compares runs made under different loads.
    const idle0 = new Map(pids.map((p) => [p.name, cpuSeconds(p.pid)]));
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idlePerSecond = new Map(
      pids.map((p) => [p.name, (cpuSeconds(p.pid) - idle0.get(p.name)!) / (IDLE_MS / 1000)]),
    );
    const cpu0 = new Map(pids.map((p) => [p.name, cpuSeconds(p.pid)]));
    const ownBackends = `postgres: .*${new URL(databaseUrl).pathname.slice(1)}`;
    const [rabbit0, postgres0] = [cpuOf('beam.smp'), cpuOf('postgres')];
    // The pools close idle backends and open new ones during the run: each is sampled every second, and
    // counted from its first sample before the run (or from nothing) to its last.
    const own = new Map([...cpuOf(ownBackends)].map(([pid, t]) => [pid, { from: t, to: t }]));
    const sampleOwn = () => {
      for (const [pid, t] of cpuOf(ownBackends)) own.set(pid, { from: own.get(pid)?.from ?? 0, to: t });
    };
    const started = Date.now();
    const res = await fetch(`${api}/sync/sial`, { method: 'POST', headers, body: '{}' });
    const { loteId } = (await res.json()) as { loteId: string };
    let lote: { estado: string; total: number; completados: number; conAvisos: number; fallidos: number };
    let last = '';
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      sampleOwn();
      lote = (await (await fetch(`${api}/lotes/${loteId}`, { headers })).json()) as typeof lote;
      const line = `${lote.estado}: ${lote.completados + lote.conAvisos + lote.fallidos} of ${lote.total}`;
      if (line !== last) console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s  ${line}`);
      last = line;
      if (lote.estado === 'terminado' || lote.estado === 'fallido') break;
    }
    const seconds = (Date.now() - started) / 1000;
    const perSecond = lote.total / seconds;
    const cpu = [
      ...pids.map((p) => ({ process: p.name, cpuSeconds: +(cpuSeconds(p.pid) - cpu0.get(p.name)!).toFixed(1) })),
      { process: 'rabbitmq', cpuSeconds: +spent(rabbit0, cpuOf('beam.smp')).toFixed(1) },
      { process: 'postgresql', cpuSeconds: +spent(postgres0, cpuOf('postgres')).toFixed(1) },
    ];
    sampleOwn();
    const ownPostgres = +[...own.values()].reduce((a, b) => a + b.to - b.from, 0).toFixed(1);
    const totalCpu = cpu.reduce((a, c) => a + c.cpuSeconds, 0);
    console.log(`\n${lote.total} students (${lote.fallidos} failed) in ${seconds.toFixed(1)} s`);
    const perStudent = (seconds: number) => ((1000 * seconds) / lote.total).toFixed(1);
    const net = (c: { process: string; cpuSeconds: number }) =>
      idlePerSecond.has(c.process) ? perStudent(c.cpuSeconds - idlePerSecond.get(c.process)! * seconds) : '';
    console.table([
      ...cpu.map((c) => ({
        ...c,
        msPerStudent: perStudent(c.cpuSeconds),
        netMsPerStudent: net(c),
        share: `${((100 * c.cpuSeconds) / totalCpu).toFixed(0)} %`,
      })),
      {
        process: 'postgresql (this database)',
        cpuSeconds: ownPostgres,
        msPerStudent: perStudent(ownPostgres),
        share: '',
      },
    ]);
    console.table([
      {
        figure: 'students onboarded per second',
        value: perSecond.toFixed(1),
        goal: `≥ ${GOAL}`,
        met: perSecond >= GOAL,
      },
      { figure: 'raw broker, 4 hops, items per second (same run)', value: ceiling.toFixed(0), goal: '', met: '' },
    ]);
    console.log(
      JSON.stringify({
        bench: 'pipeline',
        students: lote.total,
        failed: lote.fallidos,
        seconds,
        perSecond,
        rawFourHopsPerSecond: ceiling,
        window: Number(WINDOW ?? 20),
        cpu,
        postgresOwnCpuSeconds: ownPostgres,
        idleCpuPerSecond: Object.fromEntries([...idlePerSecond].map(([k, v]) => [k, +v.toFixed(3)])),
      }),
    );
  } finally {
    await stack?.stop();
    await deleteVhost(VHOST).catch(() => undefined);
  }
}

await main();
