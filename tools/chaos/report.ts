// The chaos run's report: the cohort, each fault with its times, how long the cohort took and at what
// rate, and every check PASS/FAIL with its counts.
import type { CheckResult } from './checks.js';
import type { Lote } from './evidence.js';
import type { AppliedFault } from './fault-runner.js';
import type { ChaosOptions } from './options.js';

export interface RunSummary {
  options: ChaosOptions;
  loteId: string | null;
  lote: Lote | null;
  faults: AppliedFault[];
  /** Planned faults that never struck. */
  unfired: string[];
  /** Pull → every workflow settled (or → the timeout). */
  elapsedS: number;
  timedOut: boolean;
  checks: CheckResult[];
  /** (seconds since the pull, students settled) as the run saw them: the rate minute by minute. */
  samples: [number, number][];
  /** Why the run stopped before its checks, if it did. */
  aborted?: string;
  logDir: string;
}

const s1 = (n: number) => n.toFixed(1);

export function formatReport(r: RunSummary): string {
  const o = r.options;
  const l = r.lote;
  const out: string[] = ['', '══ chaos run ══════════════════════════════════════════════════════════════'];
  out.push(`cohort     SIAL seed ${o.seed}, ${o.alumnos} rows → lote ${r.loteId ?? '(none)'}`);
  if (l) {
    out.push(
      `           ${l.total} students registered (${l.ingesta.invalidos.length} rows refused by ingest on purpose: no/bad DNI, conflicts)`,
    );
    out.push(
      `           ${l.completados} completados, ${l.conAvisos} con avisos, ${l.fallidos} fallidos, ${l.enCurso} en curso, ${l.pendientes} pendientes`,
    );
  }
  out.push(
    `faults     planned: ${o.kills} SIGKILL per service, ${o.brokerRestarts} broker restarts, ${o.pgRestarts} PostgreSQL restarts, Graph ${o.graph5xx * 100} % 5xx, ${o.graph429Bursts} × ${o.graph429Size} Graph 429s, Moodle down ${o.moodleDownMs / 1000} s`,
  );
  for (const f of r.faults) {
    const over =
      f.overS === undefined
        ? f.error
          ? `FAILED: ${f.error}`
          : 'not over'
        : `over at ${s1(f.overS)} s (${s1(f.overS - f.atS)} s)`;
    out.push(
      `           t=${s1(f.atS).padStart(6)} s  ${`${Math.round(f.progress * 100)} %`.padStart(5)} settled  ${f.label.padEnd(40)} ${over}`,
    );
  }
  if (r.unfired.length) out.push(`           never struck: ${r.unfired.join(', ')}`);
  const settled = l ? l.completados + l.conAvisos + l.fallidos + (l.desglose.compensado ?? 0) : 0;
  out.push(
    `time       ${s1(r.elapsedS)} s from the pull to ${r.timedOut ? 'the timeout (NOT settled)' : 'every student settled'}`,
  );
  if (l && r.elapsedS > 0)
    out.push(
      `throughput ${(settled / r.elapsedS).toFixed(2)} students/s (${Math.round((settled / r.elapsedS) * 60)}/min), ${settled} settled`,
    );
  const minutes = perMinute(r.samples);
  if (minutes.length > 1) out.push(`           per minute: ${minutes.join(', ')} (the last one partial)`);
  if (r.aborted) out.push(`aborted    ${r.aborted}`);
  out.push('checks');
  for (const c of r.checks) {
    out.push(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name.padEnd(58)} ${c.failed} of ${c.checked}`);
    for (const e of c.examples) out.push(`          ${e}`);
  }
  const failed = r.checks.filter((c) => !c.pass).length;
  out.push(
    r.aborted || failed
      ? `RESULT     FAIL (${failed} of ${r.checks.length} checks failed${r.aborted ? '; run aborted' : ''})`
      : `RESULT     PASS (${r.checks.length} checks)`,
  );
  out.push(`logs       ${r.logDir}`);
  return out.join('\n');
}

/** Students settled in each minute since the pull, from the progress samples. */
export function perMinute(samples: [number, number][]): number[] {
  const out: number[] = [];
  let before = 0;
  for (let m = 1; samples.length && (m - 1) * 60 <= samples.at(-1)![0]; m++) {
    const upTo = samples.filter(([t]) => t <= m * 60).at(-1)?.[1] ?? before;
    out.push(upTo - before);
    before = upTo;
  }
  return out;
}
