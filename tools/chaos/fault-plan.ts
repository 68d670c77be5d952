// When each fault strikes. Faults are placed by progress (the share of the cohort settled), not by the
// clock: however fast or slow the stack runs, every fault lands while students are in flight. Draws come
// from a seeded generator, so `--seed` replays the same schedule.
import type { ChaosOptions } from './options.js';

export type Fault =
  | { kind: 'kill'; process: string }
  | { kind: 'broker-restart' }
  | { kind: 'pg-restart' }
  | { kind: 'graph-429-burst'; size: number; retryAfterSeconds: number }
  | { kind: 'moodle-down'; ms: number };

export interface PlannedFault {
  fault: Fault;
  /** Fires once this share of the cohort (0..1) has settled. */
  atFraction: number;
}

/** Faults land between these shares settled: after the first students are moving, before the tail. */
export const WINDOW = { from: 0.05, to: 0.85 } as const;

export const PROCESSES = ['ingest-service', 'teams-service', 'moodle-service', 'mail-service', 'gateway'] as const;

/** mulberry32: a small, well-known seeded PRNG (uniform in [0, 1)). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Schedule = Pick<
  ChaosOptions,
  'kills' | 'brokerRestarts' | 'pgRestarts' | 'graph429Bursts' | 'graph429Size' | 'graph429RetryAfterS' | 'moodleDownMs'
>;

export function planFaults(o: Schedule, random: () => number): PlannedFault[] {
  const at = () => Math.round((WINDOW.from + random() * (WINDOW.to - WINDOW.from)) * 1000) / 1000;
  const plan: PlannedFault[] = [];
  const times = (n: number, fault: () => Fault) => {
    for (let i = 0; i < n; i++) plan.push({ fault: fault(), atFraction: at() });
  };
  for (const process of PROCESSES) times(o.kills, () => ({ kind: 'kill', process }));
  times(o.brokerRestarts, () => ({ kind: 'broker-restart' }));
  times(o.pgRestarts, () => ({ kind: 'pg-restart' }));
  times(o.graph429Bursts, () => ({
    kind: 'graph-429-burst',
    size: o.graph429Size,
    retryAfterSeconds: o.graph429RetryAfterS,
  }));
  if (o.moodleDownMs > 0) times(1, () => ({ kind: 'moodle-down', ms: o.moodleDownMs }));
  return plan.sort((a, b) => a.atFraction - b.atFraction);
}

export function describe(f: Fault): string {
  switch (f.kind) {
    case 'kill':
      return `SIGKILL ${f.process}`;
    case 'broker-restart':
      return 'RabbitMQ stop_app/start_app';
    case 'pg-restart':
      return 'PostgreSQL restart';
    case 'graph-429-burst':
      return `Graph ${f.size} × 429 (Retry-After ${f.retryAfterSeconds} s)`;
    case 'moodle-down':
      return `Moodle down ${Math.round(f.ms / 1000)} s`;
  }
}
