// Prometheus text (each service's GET /metrics) → the few counters the dashboard turns into rates, and
// the rates themselves from samples taken over time. Pure.

export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The series of the exposition format whose names start with `prefix` (comments and others skipped). */
export function parseMetrics(text: string, prefix = 'lucy_'): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    const labels: Record<string, string> = {};
    for (const e of (m[2] ?? '').matchAll(LABEL))
      labels[e[1]!] = e[2]!.replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

export const sumOf = (
  series: readonly Series[],
  name: string,
  filter: (e: Record<string, string>) => boolean = () => true,
) => series.filter((s) => s.name === name && filter(s.labels)).reduce((n, s) => n + s.value, 0);

/** What one scrape says, reduced to the counters that become rates. */
export interface Counters {
  at: number;
  /** Messages taken from the service's queues (lucy_messages_consumed_total), duplicates excluded. */
  consumed: number;
  /** Calls that used a rate-limit slot, per dependency (lucy_external_calls_total). */
  calls: Record<string, number>;
}

/** Outcomes of a guarded call that did reach the dependency (a short-circuited or deferred one did not). */
const REACHED = new Set(['success', 'transient', 'permanent', 'throttled', 'timeout']);

export function countersOf(series: readonly Series[], at: number): Counters {
  const calls: Record<string, number> = {};
  for (const s of series) {
    if (s.name !== 'lucy_external_calls_total' || !REACHED.has(s.labels.outcome ?? '')) continue;
    const dep = s.labels.dependency ?? '?';
    calls[dep] = (calls[dep] ?? 0) + s.value;
  }
  return { at, consumed: sumOf(series, 'lucy_messages_consumed_total', (e) => e.outcome !== 'duplicate'), calls };
}

/**
 * Per minute, between the oldest sample inside the window and the newest; null with fewer than two
 * samples in it. A counter that went down means the service restarted: its new value is all since then.
 */
export function perMinute(
  samples: readonly Counters[],
  value: (c: Counters) => number,
  windowMs = 60_000,
): number | null {
  const last = samples.at(-1);
  if (!last) return null;
  const first = samples.find((m) => last.at - m.at <= windowMs);
  if (!first || first === last || last.at === first.at) return null;
  const a = value(first);
  const b = value(last);
  const delta = b >= a ? b - a : b;
  return Math.round((delta / (last.at - first.at)) * 60_000 * 10) / 10;
}
