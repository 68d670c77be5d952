// npm run bench — every benchmark, one after another (each on 127.0.0.1 only, each stopping by itself), then
// one table: figure, value, goal, met. Each bench prints its own tables as it goes and a last JSON line,
// which is what this reads. About 35 minutes on 2 cores (bench:pipeline's 10,000 students take most).
// BENCH_ONLY=messaging,footprint,latency,gateway,pipeline,ratelimit,reconciliacion picks some.
import { spawn } from 'node:child_process';

const BENCHES = ['messaging', 'footprint', 'latency', 'gateway', 'pipeline', 'ratelimit', 'reconciliacion'] as const;
type Bench = (typeof BENCHES)[number];
const only = (process.env.BENCH_ONLY ?? BENCHES.join(','))
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean) as Bench[];

interface Row {
  figure: string;
  value: string;
  goal: string;
  met: boolean | '';
}

/** Runs `npm run bench:<name>`, echoing its output, and gives back its last JSON line. */
function run(name: Bench): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', `bench:${name}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      out += d.toString();
    });
    child.on('exit', (code) => {
      const last = out
        .split('\n')
        .filter((l) => l.startsWith('{"bench"'))
        .at(-1);
      if (code !== 0 || !last) return reject(new Error(`bench:${name} ended with ${code}`));
      resolve(JSON.parse(last));
    });
  });
}

const rows: Record<Bench, (r: any) => Row[]> = {
  messaging: (r) => [
    { figure: 'messaging: inbox+outbox off / raw', value: String(r.ratios.off), goal: '≥ 0.80', met: r.pass.off },
    {
      figure: "messaging: inbox+outbox on (TypeORM's API) / raw",
      value: String(r.ratios.orm),
      goal: '≥ 0.35',
      met: r.ratios.orm >= 0.35,
    },
  ],
  footprint: (r) => [
    { figure: 'RSS idle, five services + sandbox', value: `${r.rssMb} MB`, goal: '≤ 600 MB', met: r.rssMb <= 600 },
    {
      figure: 'slowest service ready, one after another',
      value: `${r.readySequentialMs} ms`,
      goal: '≤ 3,000 ms',
      met: r.readySequentialMs <= 3000,
    },
    {
      figure: 'slowest service ready, all at once',
      value: `${r.readyTogetherMs} ms`,
      goal: '≤ 3,000 ms',
      met: r.readyTogetherMs <= 3000,
    },
  ],
  latency: (r) => {
    const total = r.legs.find((l: { leg: string }) => l.leg === 'total');
    return [
      {
        figure: 'one student, 202 → EmailEnviado, p50',
        value: `${total.p50} ms`,
        goal: '≤ 50 ms',
        met: total.p50 <= 50,
      },
      { figure: 'the same, p99', value: `${total.p99} ms`, goal: '≤ 150 ms', met: total.p99 <= 150 },
    ];
  },
  gateway: (r) => {
    const de = (s: string) => r.figures.find((f: { scenario: string }) => f.scenario === s);
    const [alumno, reenviar] = [de('alumno'), de('reenviar')];
    return [
      {
        figure: 'GET /alumnos/{id}, 50 connections',
        value: `${alumno.reqPerSec} req/s`,
        goal: '≥ 3,000 req/s',
        met: alumno.reqPerSec >= 3000,
      },
      {
        figure: 'POST reenviar-credenciales, one Idempotency-Key',
        value: `${reenviar.reqPerSec} req/s, p97.5 ${reenviar.p97_5} ms`,
        goal: '≥ 1,000 req/s, p95 < 50 ms',
        met: reenviar.reqPerSec >= 1000 && reenviar.p97_5 < 50,
      },
    ];
  },
  pipeline: (r) => [
    {
      figure: `pipeline: ${r.students} students, no external limit`,
      value: `${r.perSecond.toFixed(1)} students/s (raw 4 hops ${Math.round(r.rawFourHopsPerSecond)}/s)`,
      goal: '≥ 200 students/s',
      met: r.perSecond >= 200,
    },
  ],
  ratelimit: (r) => {
    const out: Row[] = [];
    const stack = r.results.stack;
    if (stack)
      out.push({
        figure: `whole stack: ${stack.students} accounts at the Graph default preset`,
        value: `${stack.graphSeconds.toFixed(1)} s`,
        goal: '≤ 60 s',
        met: stack.graphSeconds <= 60,
      });
    const burst = r.results.burst;
    if (burst)
      out.push({
        figure: 'back to ≥ 0.95 R after the last 429',
        value:
          burst.limiterBackMs === null ? 'not within the deadline' : `${(burst.limiterBackMs / 1000).toFixed(1)} s`,
        goal: '',
        met: '',
      });
    return out;
  },
  reconciliacion: (r) => [
    {
      figure: `${r.students.toLocaleString('en')} students reconciled`,
      value: `${r.seconds.toFixed(1)} s (${r.graph.deltaPages} Graph pages, ${r.moodle.calls} Moodle calls)`,
      goal: 'within the Graph read budget of a medium tenant',
      met: r.graph.throttled === 0 && r.withinBudget,
    },
  ],
};

const table: Row[] = [];
for (const name of only) {
  if (!BENCHES.includes(name)) throw new Error(`unknown bench ${name} (${BENCHES.join(', ')})`);
  console.log(`\n===== bench:${name} =====`);
  table.push(...rows[name](await run(name)));
}
console.log('\n===== summary =====');
console.table(table);
