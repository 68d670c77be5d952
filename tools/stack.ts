// Starts Lucy as separate processes — the sandbox first (unless real endpoints are used), then the five
// services — each with its environment, its log file, and a wait for its readiness probe. Used by
// `npm start` (tools/start.ts) and by the end-to-end suite (e2e/), which runs a stack of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Loaded from dist/tools/stack.js (`npm run start:prod`): the stack runs the compiled services too. */
const COMPILED = import.meta.url.endsWith('.js');
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), COMPILED ? '../..' : '..');
export const SERVICES = ['ingest-service', 'teams-service', 'moodle-service', 'mail-service', 'gateway'] as const;
/**
 * How production runs a compiled service (the Dockerfile's ENTRYPOINT says the same). V8 sizes the young
 * generation for the machine's memory (64 MB of semi-spaces here), pages a mostly idle service keeps
 * resident; 2 MB semi-spaces cost more frequent, shorter scavenges and save 50–100 MB per process
 * (bench:footprint). Source maps are in dist/ but not loaded (about 10 MB of heap per process): set
 * NODE_OPTIONS=--enable-source-maps to read a stack trace in TypeScript lines. NODE_COMPILE_CACHE keeps
 * V8's compiled modules on disk, so a restart skips compiling them again.
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=2'];
/**
 * After those, for one service (docker-compose.yml's `command` says the same). The gateway serves the API's
 * load: with 2 MB semi-spaces the objects of 50 requests in flight outlive each scavenge and are promoted,
 * so GC took a fifth of its main thread and more on V8's helper threads (bench:gateway). 16 MB semi-spaces
 * about halve the CPU a request costs it, for some 25 MB more resident (144 → 170 MB idle after a cohort).
 */
export const SERVICE_NODE_FLAGS: Partial<Record<ServiceName, string[]>> = { gateway: ['--max-semi-space-size=16'] };

/** LUCY_NODE_FLAGS: more flags for the compiled processes, say `--cpu-prof`, which NODE_OPTIONS refuses. */
const extraNodeFlags = () => (process.env.LUCY_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);

export type ServiceName = (typeof SERVICES)[number];

export interface StackOptions {
  /** Services listen on base+0..4 (gateway on base); the sandbox on base+10..16. Default 3000 / 4000 layout. */
  portBase?: number;
  /** Start the stand-ins (default true). Off when every endpoint points at a real service. */
  sandbox?: boolean;
  /** Added to every process's environment (RABBITMQ_URL, DATABASE_URL, RETRY_DELAYS_MS, ...). */
  env?: Record<string, string>;
  /** Per-service additions. */
  serviceEnv?: Partial<Record<ServiceName | 'sandbox', Record<string, string>>>;
  /** Where state and logs go (default ./var). */
  varDir?: string;
  /** Also copy each process's output to this process's stdout, prefixed. */
  echo?: boolean;
  readyTimeoutMs?: number;
  /**
   * Run the compiled services in dist/ (`npm run build`) with no compiler loaded, as production does.
   * Default: compiled when this file itself was (`npm run start:prod`), else TypeScript compiled on load.
   */
  compiled?: boolean;
  /** Start the five services one after another instead of all at once (start-up benchmarks). */
  sequential?: boolean;
}

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  url: string;
  /** From the spawn to the first 200 of its readiness probe (polled every 50 ms). */
  readyMs?: number;
}

export interface Stack {
  urls: Record<ServiceName, string> & { sandboxAdmin?: string; mailbox?: string; smtpPort?: number };
  /** The gateway's admin token (ADMIN_TOKEN_FILE): send it as `Authorization: Bearer <token>`. */
  adminToken: string;
  processes: Map<string, RunningProcess>;
  env: Record<string, string>;
  stop(name?: string, signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts a process of the stack again, or one more replica of a service: `start('teams-service#2')`
   * runs a second teams-service with the same environment on its own PORT (base + 20 + offset + 5 × (n − 2):
   * 3022 for teams-service#2 in the default layout). Its URL is then in `processes`.
   */
  start(name: string): Promise<void>;
}

const PORT_OFFSETS: Record<ServiceName, number> = {
  gateway: 0,
  'ingest-service': 1,
  'teams-service': 2,
  'moodle-service': 3,
  'mail-service': 4,
};

/** The dev credentials key: generated once into var/, shared by teams-service and mail-service only. */
export function credentialsKeyFile(varDir: string): string {
  const file = join(varDir, 'secrets', 'credentials.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return file;
}

/** The dev admin token of the gateway's API: generated once into var/secrets, read by the gateway only. */
export function adminTokenFile(varDir: string): string {
  const file = join(varDir, 'secrets', 'admin.token');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `lucy_dev_${randomBytes(32).toString('base64url')}`, { mode: 0o600 });
  }
  return file;
}

/**
 * A service's own broker user and database role (README.md, "Least privilege"): RABBITMQ_URL_<SERVICE> and
 * DATABASE_URL_<SERVICE> (GATEWAY, INGEST_SERVICE, …) become its RABBITMQ_URL and DATABASE_URL. Unset, it
 * takes the shared ones, and without those its defaults: guest and the postgres superuser, on this machine.
 */
export function ownCredentials(service: ServiceName, env: NodeJS.ProcessEnv): Record<string, string> {
  const suffix = service.toUpperCase().replaceAll('-', '_');
  const own: Record<string, string> = {};
  for (const name of ['RABBITMQ_URL', 'DATABASE_URL']) {
    const value = env[`${name}_${suffix}`];
    if (value) own[name] = value;
  }
  return own;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const varDir = resolve(opts.varDir ?? join(ROOT, 'var'));
  const logDir = join(varDir, 'log');
  mkdirSync(logDir, { recursive: true });
  const base = opts.portBase;
  const svcPort = (s: ServiceName) => (base ?? 3000) + PORT_OFFSETS[s];
  // Without a base, the sandbox's own default ports (apps/sandbox/README.md), which are also the services'
  // defaults and what the READMEs show; with one (tests, chaos runs), eight ports from base + 10.
  const sb = base === undefined ? 4000 : base + 10;
  const sandboxPorts =
    base === undefined
      ? {
          SANDBOX_ADMIN_PORT: 4000,
          SANDBOX_IDENTITY_PORT: 4010,
          SANDBOX_GRAPH_PORT: 4011,
          SANDBOX_MOODLE_PORT: 4020,
          SANDBOX_SIAL_PORT: 4030,
          SANDBOX_SMTP_PORT: 2525,
          SANDBOX_MAILBOX_PORT: 4040,
          SANDBOX_ONEROSTER_PORT: 4050,
        }
      : {
          SANDBOX_ADMIN_PORT: sb,
          SANDBOX_IDENTITY_PORT: sb + 1,
          SANDBOX_GRAPH_PORT: sb + 2,
          SANDBOX_MOODLE_PORT: sb + 3,
          SANDBOX_SIAL_PORT: sb + 4,
          SANDBOX_SMTP_PORT: sb + 5,
          SANDBOX_MAILBOX_PORT: sb + 6,
          SANDBOX_ONEROSTER_PORT: sb + 7,
        };
  const sandboxDir = join(varDir, 'sandbox');
  const common: Record<string, string> = { ...(opts.env ?? {}) };
  // Where the services find the stand-ins (their defaults assume the 4000 layout; be explicit anyway).
  const sandboxTargets: Record<string, string> =
    opts.sandbox === false
      ? {}
      : {
          GRAPH_AUTHORITY_HOST: `https://127.0.0.1:${sandboxPorts.SANDBOX_IDENTITY_PORT}`,
          GRAPH_BASE_URL: `https://127.0.0.1:${sandboxPorts.SANDBOX_GRAPH_PORT}/v1.0`,
          GRAPH_CA_FILE: join(sandboxDir, 'tls', 'ca.pem'),
          MOODLE_URL: `http://127.0.0.1:${sandboxPorts.SANDBOX_MOODLE_PORT}`,
          SIAL_URL: `http://127.0.0.1:${sandboxPorts.SANDBOX_SIAL_PORT}`,
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(sandboxPorts.SANDBOX_SMTP_PORT),
          // The default budgets protect real services (SMTP: Exchange Online's 30 messages/min per mailbox;
          // Moodle: 300 calls/min). The local stand-ins have no such limit; Graph's stand-in enforces Entra's.
          SMTP_RPM: '1200',
          MOODLE_RPM: '3000',
        };
  const keyFile = credentialsKeyFile(varDir);
  const tokenFile = adminTokenFile(varDir);
  const perService: Record<string, Record<string, string>> = {
    sandbox: {
      ...Object.fromEntries(Object.entries(sandboxPorts).map(([k, v]) => [k, String(v)])),
      SANDBOX_STATE_DIR: sandboxDir,
    },
    'teams-service': { CREDENTIALS_KEY_FILE: keyFile },
    'mail-service': { CREDENTIALS_KEY_FILE: keyFile },
    gateway: { ADMIN_TOKEN_FILE: tokenFile },
  };

  const compiled = opts.compiled ?? COMPILED;
  if (compiled && !existsSync(join(ROOT, 'dist', 'apps', 'gateway', 'src', 'main.js')))
    throw new Error('no compiled stack in dist/: run `npm run build` first');
  const processes = new Map<string, RunningProcess>();
  const specs = new Map<string, { env: Record<string, string>; entry: string; ready: string; nodeFlags?: string[] }>();
  const urls = {} as Stack['urls'];

  if (opts.sandbox !== false) {
    specs.set('sandbox', {
      entry: 'apps/sandbox/src/main.ts',
      env: { ...common, ...perService.sandbox, ...(opts.serviceEnv?.sandbox ?? {}) },
      ready: `http://127.0.0.1:${sb}/_admin/health`,
    });
    urls.sandboxAdmin = `http://127.0.0.1:${sb}`;
    urls.mailbox = `http://127.0.0.1:${sandboxPorts.SANDBOX_MAILBOX_PORT}`;
    urls.smtpPort = sandboxPorts.SANDBOX_SMTP_PORT;
  }
  for (const s of SERVICES) urls[s] = `http://127.0.0.1:${svcPort(s)}`;
  // The gateway reads every service's /health/ready for the dashboard: tell it where this stack's are.
  const serviceUrls = JSON.stringify(Object.fromEntries(SERVICES.map((s) => [s, urls[s]])));
  for (const s of SERVICES) {
    const port = svcPort(s);
    specs.set(s, {
      entry: `apps/${s}/src/main.ts`,
      nodeFlags: SERVICE_NODE_FLAGS[s],
      env: {
        ...sandboxTargets,
        ...common,
        ...(perService[s] ?? {}),
        ...ownCredentials(s, process.env),
        ...(s === 'gateway' ? { SERVICE_URLS: serviceUrls } : {}),
        PORT: String(port),
        ...(opts.serviceEnv?.[s] ?? {}),
      },
      ready: `${urls[s]}/health/ready`,
    });
  }

  const start = async (name: string) => {
    const spec = specs.get(name) ?? replicaSpec(name);
    if (!spec) throw new Error(`unknown process ${name}`);
    const logFile = join(logDir, `${name}.log`);
    const out = createWriteStream(logFile, { flags: 'a' });
    const args = compiled
      ? [
          ...PRODUCTION_NODE_FLAGS,
          ...(spec.nodeFlags ?? []),
          ...extraNodeFlags(),
          join('dist', spec.entry.replace(/\.ts$/, '.js')),
        ]
      : ['--import', '@swc-node/register/esm-register', spec.entry];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...(compiled ? { NODE_COMPILE_CACHE: join(varDir, 'cache', 'node') } : {}), ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.pipe(out, { end: false });
      if (opts.echo) stream.on('data', (d: Buffer) => process.stdout.write(prefix(name, d)));
    }
    const spawned = performance.now();
    const proc: RunningProcess = { name, child, logFile, url: spec.ready };
    processes.set(name, proc);
    await waitReady(name, spec.ready, child, logFile, opts.readyTimeoutMs ?? 60_000);
    proc.readyMs = performance.now() - spawned;
  };

  /** 'teams-service#2': the service's spec on a port of its own (replicas share its queue, schema and Redis). */
  const replicaSpec = (name: string) => {
    const m = /^(.+)#(\d+)$/.exec(name);
    const service = m?.[1] as ServiceName | undefined;
    const n = Number(m?.[2]);
    if (!service || !SERVICES.includes(service) || !(n >= 2)) return undefined;
    const port = (base ?? 3000) + 20 + PORT_OFFSETS[service] + 5 * (n - 2);
    const url = `http://127.0.0.1:${port}`;
    const spec = { ...specs.get(service)!, ready: `${url}/health/ready` };
    spec.env = { ...spec.env, PORT: String(port) };
    specs.set(name, spec);
    return spec;
  };

  const stop = async (name?: string, signal: NodeJS.Signals = 'SIGTERM') => {
    const names = name ? [name] : [...processes.keys()].reverse();
    await Promise.all(
      names.map(async (n) => {
        const p = processes.get(n);
        if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return void processes.delete(n);
        const exited = new Promise((r) => p.child.once('exit', r));
        p.child.kill(signal);
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
        processes.delete(n);
      }),
    );
  };

  try {
    if (specs.has('sandbox')) await start('sandbox');
    if (opts.sequential) for (const s of SERVICES) await start(s);
    else await Promise.all(SERVICES.map((s) => start(s)));
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls, adminToken: readFileSync(tokenFile, 'utf8').trim(), processes, env: common, stop, start };
}

function prefix(name: string, d: Buffer): string {
  return d
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((l) => `[${name}] ${l}\n`)
    .join('');
}

async function waitReady(
  name: string,
  url: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode} while starting; see ${logFile}:\n${tail(logFile)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms (${url}: ${last}); see ${logFile}:\n${tail(logFile)}`);
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
