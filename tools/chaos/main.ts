// `npm run chaos`: the whole stack (the sandbox and the five services, each its own process, through
// tools/stack.ts as `npm start` runs it) in a vhost, database, Redis database and ports of its own;
// a SIAL cohort onboarded while processes are SIGKILLed and restarted, Graph answers 5xx and bursts of
// 429, Moodle goes down (and, if asked, RabbitMQ and PostgreSQL restart); then the checks of checks.ts
// against the stand-ins and the gateway's API, a report, and a clean-up. `--help` lists the flags.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startStack, type Stack } from '../stack.js';
import { runChecks, type CheckResult } from './checks.js';
import { chaosEnvironment, type ChaosEnvironment } from './environment.js';
import { collectEvidence, type Lote } from './evidence.js';
import { describe, planFaults, seeded } from './fault-plan.js';
import { FaultRunner } from './fault-runner.js';
import { json, retrying, sleep } from './http.js';
import { envOverrides, parseOptions, USAGE, type ChaosOptions } from './options.js';
import { formatReport, type RunSummary } from './report.js';

let options: ChaosOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  console.error(`chaos: ${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const o = options;
const started = Date.now();
const log = (line: string) =>
  console.log(`[chaos ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const logDir = join(ROOT, 'var', 'chaos', 'log');

let env: ChaosEnvironment | undefined;
let stack: Stack | undefined;
let runner: FaultRunner | undefined;
let interrupted = false;

// The backstop: whatever hangs, the run ends (processes killed) a little after its own timeout.
const hardStop = setTimeout(
  () => {
    console.error('chaos: still running long after --timeout; killing what it started');
    for (const p of stack?.processes.values() ?? []) p.child.kill('SIGKILL');
    process.exit(3);
  },
  o.timeoutMs + o.graceMs + 300_000,
);
hardStop.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping the run, then cleaning up`);
  });
}

async function main(): Promise<number> {
  const summary: RunSummary = {
    options: o,
    loteId: null,
    lote: null,
    faults: [],
    unfired: [],
    samples: [],
    elapsedS: 0,
    timedOut: false,
    checks: [],
    logDir,
  };
  const plan = planFaults(o, seeded(o.seed));
  log(
    `cohort of ${o.alumnos} (seed ${o.seed}); faults planned by share settled: ${plan.map((p) => `${describe(p.fault)} @${Math.round(p.atFraction * 100)} %`).join(', ') || 'none'}`,
  );

  env = await chaosEnvironment(o);
  rmSync(logDir, { recursive: true, force: true }); // this run's logs only (the stack appends)
  log(`own vhost ${o.vhost}, database ${o.database}, Redis db ${o.redisDb}, ports ${o.portBase}–${o.portBase + 17}`);
  const overrides = envOverrides(o.env);
  stack = await startStack({
    portBase: o.portBase,
    varDir: join(ROOT, 'var', 'chaos'),
    env: { RABBITMQ_URL: env.rabbitmqUrl, DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, ...overrides.common },
    serviceEnv: overrides.perService,
    readyTimeoutMs: 120_000,
  });
  const st = stack;
  log(`stack ready: gateway ${st.urls.gateway}, sandbox ${st.urls.sandboxAdmin}; logs in ${logDir}`);
  const sandboxAdmin = st.urls.sandboxAdmin!;
  const api = <T>(path: string, method = 'GET', body?: unknown) =>
    json<T>(`${st.urls.gateway}/api/v1${path}`, { method, body, token: st.adminToken, timeoutMs: 10_000 });

  await json(`${sandboxAdmin}/_admin/sial/config`, { method: 'PUT', body: { seed: o.seed, size: o.alumnos } });
  const t0 = Date.now();
  const { loteId } = await api<{ loteId: string }>('/sync/sial', 'POST', {});
  summary.loteId = loteId;
  log(`SIAL pull asked: lote ${loteId}`);

  const faults = new FaultRunner(
    {
      stack: st,
      sandboxAdmin,
      databaseUrl: env.databaseUrl,
      pgCluster: o.pgCluster,
      restartAfterMs: o.restartAfterMs,
      t0,
      log,
    },
    plan,
  );
  runner = faults; // for the clean-up, whatever happens
  summary.faults = faults.applied;
  await faults.startGraphErrors(o.graph5xx);

  const deadline = t0 + o.timeoutMs;
  let lote: Lote | null = null;
  let lastLine = '';
  let lastPrinted = 0;
  for (;;) {
    if (interrupted) {
      summary.aborted = 'interrupted';
      break;
    }
    if (Date.now() > deadline) {
      summary.timedOut = true;
      break;
    }
    lote = await api<Lote>(`/lotes/${loteId}`).catch(() => lote); // the gateway may be the process just killed
    if (lote) {
      faults.tick(lote.estado === 'solicitado' ? 0 : lote.porcentaje / 100);
      summary.samples.push([
        (Date.now() - t0) / 1000,
        lote.completados + lote.conAvisos + lote.fallidos + (lote.desglose.compensado ?? 0),
      ]);
      const line = `lote ${lote.estado}: ${lote.porcentaje} % — ${lote.completados} completados, ${lote.conAvisos} con avisos, ${lote.fallidos} fallidos, ${lote.enCurso} en curso, ${lote.pendientes} pendientes de ${lote.total}`;
      if (line !== lastLine && Date.now() - lastPrinted > 3000) {
        log(line);
        lastLine = line;
        lastPrinted = Date.now();
      }
      if (lote.estado === 'fallido') {
        summary.aborted = `the lote failed: ${(lote as Lote & { error?: string }).error ?? 'no reason given'}`;
        break;
      }
      if (lote.estado === 'terminado' && faults.remaining === 0) {
        summary.elapsedS = (Date.now() - t0) / 1000;
        break;
      }
    }
    await sleep(500);
  }
  if (!summary.elapsedS) summary.elapsedS = (Date.now() - t0) / 1000;
  log(
    lote?.estado === 'terminado'
      ? `every student settled in ${summary.elapsedS.toFixed(1)} s`
      : 'the cohort did not settle',
  );

  // Every fault over (processes back up), the stand-ins healthy again, then a grace period for what is
  // still in flight (a retry, a parking) before the evidence is read.
  summary.unfired = faults.unfired();
  faults.stopWaiting();
  if (interrupted) faults.end();
  else await Promise.race([faults.idle(), sleep(180_000)]);
  faults.end();
  await faults.endGraphErrors().catch(() => undefined);
  await json(`${sandboxAdmin}/_admin/faults/reset`, { method: 'POST' }).catch(() => undefined);
  if (interrupted) return 130; // Ctrl-C reached the services too: nothing left to check
  log(`waiting ${o.graceMs / 1000} s for stragglers, then checking`);
  await sleep(o.graceMs);
  // An account a failed student left is deleted by the saga's undo, retried by the sweeper: the checks read
  // the end state, so wait (bounded) until no such undo is still in flight.
  const undoing = () =>
    json<{ total: number }>(`${st.urls.gateway}/api/v1/alumnos?paso=eliminar_cuenta&pasoEstado=en_curso&limit=1`, {
      token: st.adminToken,
    })
      .then((r) => r.total)
      .catch(() => -1);
  for (const deadline = Date.now() + 600_000; Date.now() < deadline;) {
    const n = await undoing();
    if (n === 0) break;
    log(`${n < 0 ? 'gateway not answering' : `${n} account undo(s) still in flight`}; waiting`);
    await sleep(10_000);
  }
  const evidence = await retrying(
    () =>
      collectEvidence(
        { gateway: st.urls.gateway, token: st.adminToken, sandboxAdmin, mailbox: st.urls.mailbox! },
        loteId,
      ),
    Date.now() + 60_000,
    2000,
  );
  summary.lote = evidence.lote;
  summary.checks = runChecks(evidence);
  console.log(formatReport(summary));
  const failed = summary.checks.some((c: CheckResult) => !c.pass);
  return summary.aborted || summary.timedOut || failed ? 1 : 0;
}

let code: number;
try {
  code = await main();
} catch (err) {
  console.error(`chaos: ${(err as Error).stack ?? err}`);
  code = 1;
} finally {
  runner?.end();
  log(`cleaning up: stopping the stack${o.keep ? '' : `, dropping ${o.database} and ${o.vhost}`}`);
  await stack?.stop().catch(() => undefined);
  await env?.dispose(o.keep).catch((err: Error) => console.error(`chaos: clean-up: ${err.message}`));
}
process.exit(code);
