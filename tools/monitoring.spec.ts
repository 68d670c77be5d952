// The monitoring kept honest: Prometheus's configuration and alert rules pass promtool (syntax, and the
// rules' unit tests in deploy/prometheus/alerts.test.yml), every query of the alerts and of the Grafana
// board names a metric something really exports (Lucy's code, or the broker families Prometheus asks
// for), and every alert's runbook is a section of the README. A renamed metric breaks this, not the board.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './stack.js';

const PROM = join(ROOT, 'deploy', 'prometheus');

/** Every metric Lucy's code registers (prom-client's Counter, Gauge, Histogram), with a histogram's series. */
function metricsInCode(): Set<string> {
  const names = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(
          /new (Counter|Gauge|Histogram|Summary)\(\{\s*name: '([a-zA-Z_:][a-zA-Z0-9_:]*)'/g,
        )) {
          names.add(m[2]!);
          if (m[1] === 'Histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m[2] + s);
        }
      }
    }
  };
  for (const top of ['apps', 'libs'])
    for (const app of readdirSync(join(ROOT, top))) visit(join(ROOT, top, app, 'src'));
  return names;
}

/**
 * What RabbitMQ's /metrics/detailed gives for the families the scrape asks for (rabbitmq_prometheus's
 * documentation, "Queue metrics": queue_coarse_metrics and queue_consumer_count), and Prometheus's own `up`.
 */
const BROKER_FAMILIES: Record<string, string[]> = {
  queue_coarse_metrics: [
    'rabbitmq_detailed_queue_messages_ready',
    'rabbitmq_detailed_queue_messages_unacked',
    'rabbitmq_detailed_queue_messages',
    'rabbitmq_detailed_queue_process_reductions_total',
  ],
  queue_consumer_count: ['rabbitmq_detailed_queue_consumers'],
};

/** The metric names a PromQL expression reads: identifiers outside strings, label lists and functions. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values and regexes
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '') // label lists
    .replace(/\[[^\]]*\]/g, ''); // ranges
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((n) => /^(lucy_|rabbitmq_)/.test(n) || n === 'up');
}

const prometheusConfig = parse(readFileSync(join(PROM, 'prometheus.yml'), 'utf8'));
const alerts: { alert: string; expr: string; annotations: Record<string, string> }[] = parse(
  readFileSync(join(PROM, 'alerts.yml'), 'utf8'),
).groups.flatMap((g: { rules: unknown[] }) => g.rules);
const board = JSON.parse(readFileSync(join(ROOT, 'deploy', 'grafana', 'dashboards', 'lucy.json'), 'utf8'));
const panelExprs: { panel: string; expr: string }[] = board.panels.flatMap(
  (p: { title: string; targets?: { expr: string }[] }) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
);

function exported(): Set<string> {
  const job = prometheusConfig.scrape_configs.find(
    (j: { metrics_path?: string }) => j.metrics_path === '/metrics/detailed',
  );
  const families: string[] = job?.params?.family ?? [];
  return new Set([...metricsInCode(), ...families.flatMap((f) => BROKER_FAMILIES[f] ?? []), 'up']);
}

describe('monitoring: Prometheus and Grafana', () => {
  it('reads metric names from the code (a check that finds none would pass anything)', () => {
    const code = metricsInCode();
    for (const name of ['lucy_messages_consumed_total', 'lucy_breaker_state', 'lucy_message_handling_seconds_bucket'])
      expect(code).toContain(name);
    expect(metricsIn('sum by (le, type) (rate(lucy_x_bucket{queue!~"a.b|lucy_not_a_metric"}[5m])) / on () up')).toEqual(
      ['lucy_x_bucket', 'up'],
    );
  });

  it('every query of every Grafana panel reads metrics that are exported', () => {
    const known = exported();
    expect(board.panels.length).toBeGreaterThanOrEqual(8);
    for (const p of board.panels) expect([p.title, (p.targets ?? []).length > 0]).toEqual([p.title, true]);
    for (const { panel, expr } of panelExprs) {
      const used = metricsIn(expr);
      expect([panel, expr, used.length > 0]).toEqual([panel, expr, true]);
      for (const m of used) expect([panel, m, known.has(m)]).toEqual([panel, m, true]);
    }
  });

  it('every alert reads metrics that are exported and links a runbook that is a section of the README', () => {
    const known = exported();
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    // GitHub's anchors: the heading in lower case, spaces as hyphens, punctuation dropped.
    const anchors = new Set(
      [...readme.matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .trim()
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]/gu, '')
          .replace(/ /g, '-'),
      ),
    );
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    for (const a of alerts) {
      for (const m of metricsIn(a.expr)) expect([a.alert, m, known.has(m)]).toEqual([a.alert, m, true]);
      const anchor = /^README\.md#(.+)$/.exec(a.annotations.runbook_url ?? '')?.[1];
      expect([a.alert, anchor !== undefined && anchors.has(anchor)]).toEqual([a.alert, true]);
    }
  });

  it('promtool accepts the configuration, the rules and the board’s queries, and the rules pass their unit tests', () => {
    let promtool = true;
    try {
      execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    } catch {
      promtool = false;
    }
    if (!promtool) {
      // CI installs Debian's prometheus package (.ci/run): there, a missing promtool is a failure.
      if (process.env.CI === 'true') throw new Error('promtool not found: install Debian’s prometheus package');
      process.stderr.write(
        'monitoring.spec: promtool not found, its checks did not run (apt-get install prometheus)\n',
      );
      return;
    }
    const run = (...args: string[]) => execFileSync('promtool', args, { cwd: PROM, encoding: 'utf8', stdio: 'pipe' });
    expect(run('check', 'config', 'prometheus.yml')).toMatch(/SUCCESS/);
    expect(run('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: \d+ rules found/);
    expect(run('test', 'rules', 'alerts.test.yml')).toMatch(/SUCCESS/);
    // The board's queries as recording rules: promtool parses each one.
    const dir = mkdtempSync(join(tmpdir(), 'lucy-board-'));
    const rules = panelExprs.map((p, i) => ({ record: `lucy_board:q${i}`, expr: p.expr }));
    writeFileSync(join(dir, 'board.yml'), JSON.stringify({ groups: [{ name: 'board', rules }] }));
    expect(run('check', 'rules', join(dir, 'board.yml'))).toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
  });
});
