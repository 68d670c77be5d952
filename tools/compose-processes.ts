// docker-compose.yml's Lucy as plain processes, for machines with no container engine: each service of
// the chosen profiles starts as its container would — the Dockerfile's ENTRYPOINT, ENV and WORKDIR, the
// service's command and environment interpolated from an env file as compose does, nothing inherited
// from this shell — and is probed with its own healthcheck command. Only what a container gets from
// Docker is translated: a service's host name becomes 127.0.0.1, each container port one of this
// machine's (from portBase), the WORKDIR a folder standing in for the image, and the broker, database
// and Redis URLs those given (they are other images, not Lucy's).
//
//   node --import @swc-node/register/esm-register tools/compose-processes.ts \
//     --profile lucy --profile sandbox --env-file .env --image-dir /tmp/lucy-image --port-base 6100
//
// The image folder holds what the runtime stage copies: dist/ (npm run build), package.json and a
// node_modules of production dependencies only (npm ci --omit=dev).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { DEFAULT_PORTS } from '../apps/sandbox/src/sandbox.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

export interface ComposeService {
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  ports?: string[];
  volumes?: string[];
}

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`, `${NAME?error}` ($$ is a literal $). */
export const INTERPOLATION = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** A value as compose substitutes it: `:-` and `:?` also apply to an empty variable, `-` and `?` only to an unset one. */
export function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return value
    .replace(INTERPOLATION, (_, name: string, op: string | undefined, arg: string) => {
      const v = vars[name];
      const missing = op?.startsWith(':') ? !v : v === undefined;
      if (op?.endsWith('?') && missing) throw new Error(`${name}: ${arg || 'required'}`);
      return missing && op?.endsWith('-') ? arg : (v ?? '');
    })
    .replace(/\$\$/g, '$');
}

/** docker-compose.yml's services, with its `<<` merge keys resolved as compose resolves them. */
export function composeServices(file = join(ROOT, 'docker-compose.yml')): Record<string, ComposeService> {
  return (parse(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> }).services;
}

/** An env file as compose reads .env: KEY=VALUE lines, # comments, optional quotes around the value. */
export function readEnvFile(file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

/** The last stage of the Dockerfile: how every container of the image starts. */
export function runtimeStage(file = join(ROOT, 'Dockerfile')) {
  const lines = readFileSync(file, 'utf8').replace(/\\\n/g, ' ').split('\n');
  const last = lines.findLastIndex((l) => /^FROM\s/i.test(l));
  const stage = lines.slice(last).map((l) => l.trim());
  const entrypoint = JSON.parse(stage.findLast((l) => /^ENTRYPOINT\s/i.test(l))!.replace(/^ENTRYPOINT\s+/i, ''));
  const workdir = stage.findLast((l) => /^WORKDIR\s/i.test(l))!.split(/\s+/)[1];
  const env: Record<string, string> = {};
  for (const l of stage.filter((x) => /^ENV\s/i.test(x)))
    for (const [, k, v] of l.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) env[k] = v;
  return { entrypoint: entrypoint as string[], workdir, env };
}

export interface ComposeProcessesOptions {
  profiles: string[];
  /** What compose would read from .env (and the shell) for interpolation. */
  vars: Record<string, string>;
  /** The folder standing in for the image's WORKDIR (dist/, package.json, node_modules). */
  imageDir: string;
  /** Lucy's services on portBase + 0..4 (gateway first), the sandbox on portBase + 10..16. */
  portBase: number;
  /** The broker, database and Redis: replace the compose network's. */
  infra: { DATABASE_URL: string; RABBITMQ_URL: string; REDIS_URL: string };
  logDir: string;
  readyTimeoutMs?: number;
}

export interface ComposeProcesses {
  /** Each started service's base URL on this machine (the sandbox's: its admin API). */
  urls: Record<string, string>;
  /** A sandbox port of this machine, by the sandbox's name for it (mailbox, graph, ...). */
  sandboxPorts: Record<keyof typeof DEFAULT_PORTS, number>;
  env: Record<string, Record<string, string>>;
  stop(): Promise<void>;
}

const LUCY_ORDER = ['gateway', 'ingest-service', 'teams-service', 'moodle-service', 'mail-service'];

export async function startComposeProcesses(o: ComposeProcessesOptions): Promise<ComposeProcesses> {
  const all = composeServices();
  const image = runtimeStage();
  const names = Object.keys(all).filter((n) => all[n].profiles?.some((p) => o.profiles.includes(p)));
  const sandboxPorts = Object.fromEntries(
    Object.keys(DEFAULT_PORTS).map((k, i) => [k, o.portBase + 10 + i]),
  ) as ComposeProcesses['sandboxPorts'];

  // Container port → this machine's port, per service (its own PORT; the sandbox's fixed ports).
  const ports = new Map<string, Map<number, number>>();
  const environments: Record<string, Record<string, string>> = {};
  for (const name of names) {
    const env = Object.fromEntries(
      Object.entries(all[name].environment ?? {}).map(([k, v]) => [k, interpolate(String(v), o.vars)]),
    );
    environments[name] = env;
    if (name === 'sandbox')
      ports.set(
        name,
        new Map(Object.entries(DEFAULT_PORTS).map(([k, p]) => [p, sandboxPorts[k as keyof typeof DEFAULT_PORTS]])),
      );
    else if (env.PORT) ports.set(name, new Map([[Number(env.PORT), o.portBase + LUCY_ORDER.indexOf(name)]]));
  }
  const local = (service: string, port: number) => ports.get(service)?.get(port);
  /** `host:port` of another service (or of itself as 127.0.0.1) → 127.0.0.1:its port here; the WORKDIR → imageDir. */
  const translate = (self: string, value: string) =>
    value
      .replace(/\b([a-z][a-z0-9-]*|127\.0\.0\.1):(\d+)\b/g, (m, host: string, port: string) => {
        const p = local(host === '127.0.0.1' ? self : host, Number(port));
        return p ? `127.0.0.1:${p}` : m;
      })
      .replace(new RegExp(`^${image.workdir}(?=/|$)`), o.imageDir);

  const processes: { name: string; child: ChildProcess }[] = [];
  const stop = async () => {
    await Promise.all(
      processes.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };

  const urls: Record<string, string> = {};
  mkdirSync(o.logDir, { recursive: true });
  try {
    await Promise.all(
      names.map(async (name) => {
        const raw = environments[name];
        const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...image.env };
        for (const [k, v] of Object.entries(raw)) env[k] = translate(name, v);
        for (const k of Object.keys(o.infra) as (keyof typeof o.infra)[]) if (k in raw) env[k] = o.infra[k];
        // A bare host name and its port in two variables (SMTP_HOST, SMTP_PORT).
        for (const [k, v] of Object.entries(raw)) {
          const prefix = /^(.*)_HOST$/.exec(k)?.[1];
          if (!prefix || !ports.has(v)) continue;
          env[k] = '127.0.0.1';
          const p = local(v, Number(raw[`${prefix}_PORT`]));
          if (p) env[`${prefix}_PORT`] = String(p);
        }
        if (raw.PORT) env.PORT = String(local(name, Number(raw.PORT)));
        if (name === 'sandbox')
          for (const [k, p] of Object.entries(sandboxPorts)) env[`SANDBOX_${k.toUpperCase()}_PORT`] = String(p);
        environments[name] = env;
        urls[name] = `http://127.0.0.1:${name === 'sandbox' ? sandboxPorts.admin : env.PORT}`;

        const [node, ...flags] = image.entrypoint;
        const args = [...flags, ...(all[name].command ?? [])];
        const child = spawn(node === 'node' ? process.execPath : node, args, { cwd: o.imageDir, env, stdio: 'pipe' });
        const log = createWriteStream(join(o.logDir, `${name}.log`));
        child.stdout!.pipe(log, { end: false });
        child.stderr!.pipe(log, { end: false });
        processes.push({ name, child });
        await healthy(name, all[name].healthcheck?.test, env, o, child, (v) => translate(name, v));
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls, sandboxPorts, env: environments, stop };
}

/** Runs the service's own healthcheck command, as Docker would inside its container, until it passes. */
async function healthy(
  name: string,
  test: string[] | string | undefined,
  env: Record<string, string>,
  o: ComposeProcessesOptions,
  child: ChildProcess,
  translate: (v: string) => string,
): Promise<void> {
  if (!Array.isArray(test) || !['CMD', 'CMD-SHELL'].includes(test[0]))
    throw new Error(`${name}: no healthcheck to run`);
  const [cmd, ...rest] = test[0] === 'CMD' ? test.slice(1).map(translate) : ['sh', '-c', translate(test[1])];
  const deadline = Date.now() + (o.readyTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}); see ${o.logDir}/${name}.log`);
    const code = await new Promise<number | null>((r) =>
      spawn(cmd === 'node' ? process.execPath : cmd, rest, { cwd: o.imageDir, env, stdio: 'ignore' }).once('exit', r),
    );
    if (code === 0) return;
    // Docker probes every `interval` (10 s here); more often only to notice readiness sooner.
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`${name} not healthy in time; see ${o.logDir}/${name}.log`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', multiple: true, default: ['lucy', 'sandbox'] },
      'env-file': { type: 'string', default: join(ROOT, '.env') },
      'image-dir': { type: 'string', default: ROOT },
      'port-base': { type: 'string', default: '6100' },
      'ready-timeout-s': { type: 'string', default: '300' },
    },
  });
  const imageDir = resolve(values['image-dir']);
  const running = await startComposeProcesses({
    profiles: values.profile,
    vars: readEnvFile(values['env-file']),
    imageDir,
    portBase: Number(values['port-base']),
    infra: {
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lucy',
      RABBITMQ_URL: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    },
    logDir: join(imageDir, 'var', 'log'),
    readyTimeoutMs: Number(values['ready-timeout-s']) * 1000,
  });
  console.log('healthy:', running.urls);
  for (const s of ['SIGINT', 'SIGTERM'] as const)
    process.once(s, () => void running.stop().then(() => process.exit(0)));
}
