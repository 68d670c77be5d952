// The chaos run's flags: the cohort, the fault schedule and where the run lives. Broker and PostgreSQL
// restarts are off unless asked for: they stop the machine's RabbitMQ / PostgreSQL for everyone on it.
import { parseArgs } from 'node:util';

export interface ChaosOptions {
  alumnos: number;
  seed: number;
  /** SIGKILLs per service (each then restarted). */
  kills: number;
  brokerRestarts: number;
  pgRestarts: number;
  /** `pg_ctlcluster` version/name; default: the cluster `pg_lsclusters` lists on DATABASE_URL's port. */
  pgCluster?: string;
  /** Share of Graph requests answered 5xx while the cohort runs (0..1). */
  graph5xx: number;
  graph429Bursts: number;
  /** 429s per burst, each with this Retry-After. */
  graph429Size: number;
  graph429RetryAfterS: number;
  moodleDownMs: number;
  /** How long a killed process stays down before it is started again. */
  restartAfterMs: number;
  timeoutMs: number;
  /** After the lote settles, how long to wait for stragglers (retries, parkings) before checking. */
  graceMs: number;
  portBase: number;
  database: string;
  vhost: string;
  redisDb: number;
  keep: boolean;
  /** KEY=VALUE for every process, or service:KEY=VALUE for one. */
  env: string[];
  help: boolean;
}

export const USAGE = `npm run chaos -- [flags]

cohort      --alumnos 300 (SIAL cohort size; ~1% of its rows are invalid on purpose)  --seed 1
faults      --kills 1 (SIGKILLs per service)  --restart-after 2s
            --graph-5xx 0.05  --graph-429-bursts 1  --graph-429-size 25  --graph-429-retry-after 2
            --moodle-down 20s
            --broker-restarts 0  --pg-restarts 0  --pg-cluster 15/main   (stop RabbitMQ / PostgreSQL for everyone!)
run         --timeout 20m  --grace 15s  --port-base 5600  --database lucy_chaos  --vhost lucy-chaos
            --redis-db 12  --keep (keep the database and vhost)  --env [service:]KEY=VALUE (repeatable)`;

/** "20s", "2m", "1h", "1500ms" or a bare number of seconds. */
export function duration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`--${flag}: "${text}" is not a duration (20s, 2m, 1500ms)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

function count(text: string, flag: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new Error(`--${flag}: "${text}" must be a whole number from 0 to ${max}`);
  return n;
}

export function parseOptions(argv: string[]): ChaosOptions {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      alumnos: { type: 'string', default: '300' },
      seed: { type: 'string', default: '1' },
      kills: { type: 'string', default: '1' },
      'broker-restarts': { type: 'string', default: '0' },
      'pg-restarts': { type: 'string', default: '0' },
      'pg-cluster': { type: 'string' },
      'graph-5xx': { type: 'string', default: '0.05' },
      'graph-429-bursts': { type: 'string', default: '1' },
      'graph-429-size': { type: 'string', default: '25' },
      'graph-429-retry-after': { type: 'string', default: '2' },
      'moodle-down': { type: 'string', default: '20s' },
      'restart-after': { type: 'string', default: '2s' },
      timeout: { type: 'string', default: '20m' },
      grace: { type: 'string', default: '15s' },
      'port-base': { type: 'string', default: '5600' },
      database: { type: 'string', default: 'lucy_chaos' },
      vhost: { type: 'string', default: 'lucy-chaos' },
      'redis-db': { type: 'string', default: '12' },
      keep: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const graph5xx = Number(v['graph-5xx']);
  if (!(graph5xx >= 0 && graph5xx <= 1))
    throw new Error(`--graph-5xx: "${v['graph-5xx']}" must be a share from 0 to 1 (0.05 = 5 %)`);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(v.database!))
    throw new Error(`--database: "${v.database}" must be a plain lower-case PostgreSQL name`);
  if (!/^[\w.-]{1,100}$/.test(v.vhost!) || v.vhost === '/')
    throw new Error(`--vhost: "${v.vhost}" must be a vhost name of its own`);
  if (v['pg-cluster'] !== undefined && !/^\d+\/[\w-]+$/.test(v['pg-cluster']))
    throw new Error(`--pg-cluster: "${v['pg-cluster']}" must be version/name, e.g. 15/main`);
  for (const e of v.env!)
    if (!/^([a-z-]+:)?[A-Z][A-Z0-9_]*=/.test(e))
      throw new Error(`--env: "${e}" must be KEY=VALUE or service:KEY=VALUE`);
  const alumnos = count(v.alumnos!, 'alumnos', 20_000);
  if (alumnos < 10) throw new Error('--alumnos: at least 10 (the SIAL cohort puts its awkward rows first)');
  return {
    alumnos,
    seed: count(v.seed!, 'seed', 2 ** 31),
    kills: count(v.kills!, 'kills', 20),
    brokerRestarts: count(v['broker-restarts']!, 'broker-restarts', 10),
    pgRestarts: count(v['pg-restarts']!, 'pg-restarts', 10),
    pgCluster: v['pg-cluster'],
    graph5xx,
    graph429Bursts: count(v['graph-429-bursts']!, 'graph-429-bursts', 50),
    graph429Size: count(v['graph-429-size']!, 'graph-429-size', 1000),
    graph429RetryAfterS: count(v['graph-429-retry-after']!, 'graph-429-retry-after', 600),
    moodleDownMs: duration(v['moodle-down']!, 'moodle-down'),
    restartAfterMs: duration(v['restart-after']!, 'restart-after'),
    timeoutMs: duration(v.timeout!, 'timeout'),
    graceMs: duration(v.grace!, 'grace'),
    portBase: count(v['port-base']!, 'port-base', 65_000),
    database: v.database!,
    vhost: v.vhost!,
    redisDb: count(v['redis-db']!, 'redis-db', 15),
    keep: v.keep!,
    env: v.env!,
    help: v.help!,
  };
}

/** --env entries as the stack takes them: every process's, and each service's own. */
export function envOverrides(entries: string[]): {
  common: Record<string, string>;
  perService: Record<string, Record<string, string>>;
} {
  const common: Record<string, string> = {};
  const perService: Record<string, Record<string, string>> = {};
  for (const e of entries) {
    const m = /^(?:([a-z-]+):)?([A-Z][A-Z0-9_]*)=(.*)$/s.exec(e)!;
    if (m[1]) (perService[m[1]] ??= {})[m[2]!] = m[3]!;
    else common[m[2]!] = m[3]!;
  }
  return { common, perService };
}
