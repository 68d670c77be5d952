// Runs one relay scenario: build the four hops, send a warm-up through them (not counted), then the
// measured items, timing from the first publish to the last item consumed at hop 4; a watchdog aborts a
// phase that makes no progress (nothing seeded, nothing arrived) for `stallMs`. Clean-up always runs.
import { performance } from 'node:perf_hooks';
import { config, withTimeout, type Item, TEXT } from './infra.js';

/** What hop 4 calls for each item it consumes. */
export interface Sink {
  arrived(item: Item): void;
}

/** A built relay: a way to put one item into hop 1, and a way to take everything down. */
export interface Relay {
  /** Resolves once the item is safely handed over (broker confirm, or outbox commit). */
  seedOne(item: Item): Promise<unknown>;
  /** Stops the hops and deletes what the scenario created (queues, schemas). */
  stop(): Promise<void>;
}

export type ScenarioFactory = (sink: Sink) => Promise<Relay>;

export interface PhaseResult {
  items: number;
  ms: number;
  itemsPerSec: number;
  duplicates: number;
  /** When the last item had been handed to hop 1 (confirmed / committed), from the first publish. */
  seededMs: number;
}

export interface ScenarioResult {
  key: string;
  label: string;
  ok: boolean;
  error?: string;
  measured?: PhaseResult;
  warmup?: PhaseResult;
  setupMs?: number;
}

export class StallError extends Error {
  override readonly name = 'StallError';
}

class Arrivals implements Sink {
  phase = '';
  expected = 0;
  count = 0;
  duplicates = 0;
  stray = 0;
  lastAt = 0;
  progressAt = 0;
  private seen = new Uint8Array(0);
  private done?: () => void;

  begin(phase: string, expected: number): Promise<void> {
    this.phase = phase;
    this.expected = expected;
    this.count = 0;
    this.duplicates = 0;
    this.seen = new Uint8Array(expected);
    this.lastAt = 0;
    this.progressAt = performance.now();
    return new Promise((resolve) => (this.done = resolve));
  }

  arrived(item: Item): void {
    if (item.phase !== this.phase || !(item.n >= 0 && item.n < this.expected)) {
      this.stray++;
      return;
    }
    if (this.seen[item.n]) {
      this.duplicates++;
      return;
    }
    this.seen[item.n] = 1;
    this.count++;
    this.lastAt = this.progressAt = performance.now();
    if (this.count === this.expected) this.done?.();
  }
}

/** Publishes `count` items with at most `window` unconfirmed at once; `onSeeded` after each confirm. */
async function seed(
  relay: Relay,
  phase: string,
  count: number,
  window: number,
  onSeeded: () => void,
  stopped: () => boolean,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !stopped()) {
      const n = next++;
      await relay.seedOne({ phase, n, texto: TEXT });
      onSeeded();
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, worker));
}

async function runPhase(
  label: string,
  relay: Relay,
  arrivals: Arrivals,
  phase: string,
  count: number,
): Promise<PhaseResult> {
  if (count === 0) return { items: 0, ms: 0, itemsPerSec: 0, duplicates: 0, seededMs: 0 };
  const allArrived = arrivals.begin(phase, count);
  let seeded = 0;
  let aborted = false;
  let watchdog: NodeJS.Timeout | undefined;
  const t0 = performance.now();
  let seededAt = 0;
  const seeding = seed(
    relay,
    phase,
    count,
    config.seedWindow,
    () => {
      seeded++;
      seededAt = arrivals.progressAt = performance.now();
    },
    () => aborted,
  );
  const stall = new Promise<never>((_, reject) => {
    watchdog = setInterval(() => {
      const idle = performance.now() - arrivals.progressAt;
      if (idle < config.stallMs) return;
      aborted = true;
      reject(
        new StallError(
          `${label}: no progress for ${Math.round(idle / 1000)} s in the ${phase} phase — ` +
            `${arrivals.count}/${count} items arrived at hop 4, ${seeded}/${count} seeded; aborting this scenario`,
        ),
      );
    }, 250);
  });
  try {
    await Promise.race([Promise.all([allArrived, seeding]), stall]);
  } finally {
    clearInterval(watchdog);
    aborted = true;
    seeding.catch(() => undefined);
  }
  const ms = arrivals.lastAt - t0;
  return {
    items: count,
    ms,
    itemsPerSec: (count / ms) * 1000,
    duplicates: arrivals.duplicates,
    seededMs: seededAt - t0,
  };
}

export async function runScenario(key: string, label: string, build: ScenarioFactory): Promise<ScenarioResult> {
  const arrivals = new Arrivals();
  let relay: Relay | undefined;
  const result: ScenarioResult = { key, label, ok: false };
  try {
    const t = performance.now();
    relay = await withTimeout(build(arrivals), 60_000, `${label}: setting up the hops`);
    result.setupMs = performance.now() - t;
    result.warmup = await runPhase(label, relay, arrivals, 'warmup', config.warmup);
    result.measured = await runPhase(label, relay, arrivals, 'measured', config.items);
    result.ok = true;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  } finally {
    if (relay) {
      await withTimeout(relay.stop(), 60_000, `${label}: clean-up`).catch((err: Error) => {
        result.error = [result.error, `clean-up: ${err.message}`].filter(Boolean).join('; ');
      });
    }
  }
  if (arrivals.stray)
    result.error = [result.error, `${arrivals.stray} stray items at hop 4`].filter(Boolean).join('; ');
  return result;
}
