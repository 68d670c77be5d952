// npm run bench:messaging — throughput of a 4-hop relay (hop1 → hop2 → hop3 → hop4), done five ways:
//   raw   plain amqplib, safely: manual ack, bounded prefetch, persistent publish on a confirm channel,
//         ack after the confirm (the baseline);
//   off   libs/messaging with inbox:false, outbox:false (no database);
//   on    libs/messaging with inbox + outbox on PostgreSQL (exactly-once effects), its statements sent
//         straight to the pg client (MESSAGING_SQL=direct, the default);
//   orm   the same through TypeORM's public API only (MESSAGING_SQL=typeorm);
//   nest  @nestjs/microservices' RMQ transport, set up safely (see scenarios/nest-rmq.ts).
// Each scenario: a warm-up (BENCH_WARMUP items, not counted), then BENCH_ITEMS items timed from the first
// publish to the last item consumed at hop 4. Prints a table, the ratios against raw with their targets,
// the ratio of the two SQL paths (on / orm, run twice each in ABBA order), and a final JSON line. Talks to RabbitMQ and PostgreSQL on 127.0.0.1 only; cleans up what it creates.
//
// Knobs (env): BENCH_ITEMS (3000), BENCH_WARMUP (300), BENCH_PREFETCH (50), BENCH_SEED_WINDOW (100),
// BENCH_PG_POOL (20), BENCH_STALL_SECONDS (30), BENCH_SCENARIOS (raw,off,on,orm,nest), BENCH_MAX_SECONDS (600),
// RABBITMQ_URL, BENCH_DATABASE_URL, BENCH_LOG_LEVEL.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { runScenario, type PhaseResult, type ScenarioFactory, type ScenarioResult } from './support/driver.js';
import { config } from './support/infra.js';
import { lucyMessagingRelay } from './scenarios/lucy-messaging.js';
import { nestRmqRelay } from './scenarios/nest-rmq.js';
import { rawAmqplibRelay } from './scenarios/raw-amqplib.js';

const SCENARIOS: { key: string; label: string; build: ScenarioFactory }[] = [
  { key: 'raw', label: 'raw amqplib (confirm + ack after confirm)', build: rawAmqplibRelay },
  { key: 'off', label: 'libs/messaging, inbox+outbox OFF', build: lucyMessagingRelay('off') },
  { key: 'on', label: 'libs/messaging, inbox+outbox ON, direct SQL', build: lucyMessagingRelay('on', 'direct') },
  { key: 'orm', label: 'libs/messaging, inbox+outbox ON, TypeORM API', build: lucyMessagingRelay('on', 'typeorm') },
  { key: 'nest', label: '@nestjs/microservices RMQ, safe settings', build: nestRmqRelay },
];

/** Ratio targets against raw (libs/messaging only; Nest is reported for comparison). */
const TARGETS: Record<string, number | undefined> = { off: 0.8, on: 0.35 };

/** Items per second of a scenario that ran. */
const rateOf = (results: ScenarioResult[], key: string) =>
  results.find((r) => r.key === key && r.ok)?.measured?.itemsPerSec;

const maxSeconds = Number(process.env.BENCH_MAX_SECONDS ?? 600);
const hardStop = setTimeout(() => {
  process.stderr.write(`bench:messaging: still running after ${maxSeconds} s; giving up\n`);
  process.exit(2);
}, maxSeconds * 1000);
hardStop.unref();

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

async function main(): Promise<number> {
  const unknown = config.scenarios.filter((k) => !SCENARIOS.some((s) => s.key === k));
  if (unknown.length)
    throw new Error(
      `BENCH_SCENARIOS: unknown ${unknown.join(', ')} (known: ${SCENARIOS.map((s) => s.key).join(', ')})`,
    );
  const chosen = SCENARIOS.filter((s) => config.scenarios.includes(s.key));
  process.stdout.write(
    `bench:messaging — 4-hop relay, ${fmt(config.items)} items measured after ${fmt(config.warmup)} warm-up, prefetch ${config.prefetch}, ` +
      `seed window ${config.seedWindow}, node ${process.version}\n`,
  );

  const started = performance.now();
  const results: ScenarioResult[] = [];
  const run = async (s: (typeof chosen)[number]) => {
    process.stdout.write(`  running ${s.key.padEnd(4)} ${s.label} … `);
    const r = await runScenario(s.key, s.label, s.build);
    process.stdout.write(r.ok ? `${fmt(r.measured!.itemsPerSec)} items/s\n` : `FAILED\n    ${r.error}\n`);
    if (r.ok && r.error) process.stdout.write(`    note: ${r.error}\n`);
    return r;
  };
  for (const s of chosen) {
    if (s.key === 'orm' && chosen.some((c) => c.key === 'on')) continue; // run with `on`, below
    if (s.key === 'on' && chosen.some((c) => c.key === 'orm')) {
      // The two SQL paths in ABBA order, each figure the pair's mean: whichever of two PostgreSQL
      // scenarios runs second gains from what the first warmed up (measured: 1.4× either way round).
      const orm = chosen.find((c) => c.key === 'orm')!;
      const [a1, b1, b2, a2] = [await run(s), await run(orm), await run(orm), await run(s)];
      results.push(pairOf(a1!, a2!), pairOf(b1!, b2!));
      continue;
    }
    results.push(await run(s));
  }

  const raw = results.find((r) => r.key === 'raw' && r.ok)?.measured?.itemsPerSec;
  const rows = results.map((r) => {
    const m = r.measured;
    const ratio = r.ok && raw && r.key !== 'raw' ? m!.itemsPerSec / raw : undefined;
    const target = TARGETS[r.key];
    const verdict = ratio === undefined || target === undefined ? '' : ratio >= target ? 'PASS' : 'BELOW';
    return { r, ratio, target, verdict };
  });

  const w = [8, 46, 12, 10, 9, 9, 7];
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i >= 2 && i <= 5 ? lpad(c, w[i]) : pad(c, w[i]))).join(' | ')} |`;
  const out: string[] = [
    '',
    line(['scenario', 'what', 'items/s', 'time ms', 'vs raw', 'target', 'result']),
    `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`,
  ];
  for (const { r, ratio, target, verdict } of rows) {
    out.push(
      line([
        r.key,
        r.label,
        r.ok ? fmt(r.measured!.itemsPerSec) : 'FAILED',
        r.ok ? fmt(r.measured!.ms) : '-',
        r.key === 'raw' ? (r.ok ? '1.00' : '-') : ratio === undefined ? '-' : fmt(ratio, 2),
        target === undefined ? '' : `≥ ${fmt(target, 2)}`,
        verdict,
      ]),
    );
  }
  out.push('');
  const ratio = (k: string) => rows.find((x) => x.r.key === k)?.ratio;
  const show = (k: string, what: string) => {
    const x = rows.find((y) => y.r.key === k);
    if (!x) return;
    const t =
      x.target === undefined ? '(no target; reference)' : `target ≥ ${fmt(x.target, 2)} → ${x.verdict || 'n/a'}`;
    out.push(`  ${what.padEnd(34)} ${x.ratio === undefined ? '   -' : fmt(x.ratio, 2).padStart(4)}   ${t}`);
  };
  show('off', 'libs/messaging OFF / raw');
  show('on', 'libs/messaging ON / raw');
  show('orm', 'libs/messaging ON, TypeORM / raw');
  show('nest', 'nest (safe) / raw');
  const direct = rateOf(results, 'on');
  const typeorm = rateOf(results, 'orm');
  const sqlRatio = direct !== undefined && typeorm !== undefined ? direct / typeorm : undefined;
  if (sqlRatio !== undefined)
    out.push(
      `  ${'SQL paths: direct / typeorm'.padEnd(34)} ${fmt(sqlRatio, 2).padStart(4)}   (${fmt(direct!)} vs ${fmt(typeorm!)} items/s)`,
    );
  out.push(`  total wall time ${fmt((performance.now() - started) / 1000, 1)} s`);
  process.stdout.write(out.join('\n') + '\n');

  const summary = {
    bench: 'messaging',
    items: config.items,
    warmup: config.warmup,
    prefetch: config.prefetch,
    seedWindow: config.seedWindow,
    pgPool: config.pgPool,
    node: process.version,
    scenarios: Object.fromEntries(
      results.map((r) => [
        r.key,
        r.ok
          ? {
              itemsPerSec: Math.round(r.measured!.itemsPerSec),
              ms: Math.round(r.measured!.ms),
              seededMs: Math.round(r.measured!.seededMs),
              duplicates: r.measured!.duplicates,
              warmupItemsPerSec: Math.round(r.warmup!.itemsPerSec),
            }
          : { error: r.error },
      ]),
    ),
    ratios: {
      off: round2(ratio('off')),
      on: round2(ratio('on')),
      orm: round2(ratio('orm')),
      nest: round2(ratio('nest')),
      directOverTypeorm: round2(sqlRatio),
    },
    targets: { off: TARGETS.off, on: TARGETS.on },
    pass: { off: passOf(rows, 'off'), on: passOf(rows, 'on') },
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
  return results.every((r) => r.ok) ? 0 : 1;
}

/** Two runs of one scenario as one: their items over their time (the first failure, if either failed). */
function pairOf(x: ScenarioResult, y: ScenarioResult): ScenarioResult {
  if (!x.ok) return x;
  if (!y.ok) return y;
  const sum = (a: PhaseResult, b: PhaseResult): PhaseResult => {
    const items = a.items + b.items;
    const ms = a.ms + b.ms;
    return {
      items,
      ms: ms / 2,
      itemsPerSec: ms > 0 ? (items / ms) * 1000 : 0,
      duplicates: a.duplicates + b.duplicates,
      seededMs: (a.seededMs + b.seededMs) / 2,
    };
  };
  const warmup = x.warmup && y.warmup ? sum(x.warmup, y.warmup) : x.warmup;
  return { ...x, measured: sum(x.measured!, y.measured!), warmup };
}

function round2(n: number | undefined): number | null {
  return n === undefined ? null : Math.round(n * 100) / 100;
}

function passOf(rows: { r: ScenarioResult; verdict: string }[], key: string): boolean | null {
  const v = rows.find((x) => x.r.key === key)?.verdict;
  return v ? v === 'PASS' : null;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench:messaging failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
