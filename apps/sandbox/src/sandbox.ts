// startSandbox(): every stand-in in one process — identity + Graph (HTTPS), Moodle WS, SIAL, OneRoster, SMTP and
// its inbox API — sharing one SandboxContext (fault knobs, counters), plus the admin API. main.ts runs
// it on the fixed ports; tests and the e2e suite run it in-process on ephemeral ports (port 0).
import express from 'express';
import { resolve } from 'node:path';
import { adminRouter } from './admin/admin.router.js';
import type { SandboxContext } from './context.js';
import { Counters, FaultRegistry } from './faults/index.js';
import { type GraphStandIn, graphAdminRouter, startGraphStandIn } from './graph/index.js';
import { type Listening, listen } from './http.js';
import { type Logger, jsonLogger } from './log.js';
import { MoodleStore, moodleAdminRouter, moodleApp, moodleSeedFromEnv } from './moodle/index.js';
import { OneRosterStore, oneRosterAdminRouter, oneRosterApp, oneRosterConfigFromEnv } from './oneroster/index.js';
import type { OneRosterConfig } from './oneroster/oneroster.store.js';
import { SialStore, sialAdminRouter, sialApp, sialConfigFromEnv } from './sial/index.js';
import type { SialConfig } from './sial/sial.store.js';
import { type Mailbox, type SmtpKnobs, smtpKnobsFromEnv, startSmtpStandIn } from './smtp/index.js';

export interface SandboxPorts {
  admin: number;
  identity: number;
  graph: number;
  moodle: number;
  sial: number;
  oneroster: number;
  smtp: number;
  mailbox: number;
}

export const DEFAULT_PORTS: SandboxPorts = {
  admin: 4000,
  identity: 4010,
  graph: 4011,
  moodle: 4020,
  sial: 4030,
  oneroster: 4050,
  smtp: 2525,
  mailbox: 4040,
};

export interface SandboxOptions {
  /** Default SANDBOX_HOST or 127.0.0.1. */
  host?: string;
  /** Per-port overrides; `ephemeral: true` sets every port to 0 (tests). Otherwise SANDBOX_*_PORT, then the defaults. */
  ports?: Partial<SandboxPorts>;
  ephemeral?: boolean;
  /** Where the TLS CA and the token-signing key live. Default SANDBOX_STATE_DIR or ./var/sandbox. */
  stateDir?: string;
  /** Environment to read settings from (default process.env). */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** Start the Graph + identity stand-in (default true). */
  graph?: boolean;
  moodle?: ConstructorParameters<typeof MoodleStore>[0];
  sial?: Partial<SialConfig>;
  oneroster?: Partial<OneRosterConfig>;
  smtp?: { user?: string; password?: string; knobs?: Partial<SmtpKnobs> };
}

export interface RunningSandbox {
  urls: {
    admin: string;
    identity?: string;
    graph?: string;
    moodle: string;
    sial: string;
    oneroster: string;
    mailbox: string;
  };
  smtp: { host: string; port: number };
  /** PEM of the local CA that signed the identity/Graph certificates (undefined without Graph). */
  caFile?: string;
  ctx: SandboxContext;
  moodle: MoodleStore;
  sial: SialStore;
  oneroster: OneRosterStore;
  mailbox: Mailbox;
  graph?: GraphStandIn;
  close(): Promise<void>;
}

const envPort = (env: NodeJS.ProcessEnv, name: string): number | undefined =>
  env[name] !== undefined && env[name] !== '' ? Number(env[name]) : undefined;

export function portsFrom(env: NodeJS.ProcessEnv, opts: SandboxOptions): SandboxPorts {
  if (opts.ephemeral)
    return { admin: 0, identity: 0, graph: 0, moodle: 0, sial: 0, oneroster: 0, smtp: 0, mailbox: 0, ...opts.ports };
  return {
    admin: opts.ports?.admin ?? envPort(env, 'SANDBOX_ADMIN_PORT') ?? DEFAULT_PORTS.admin,
    identity: opts.ports?.identity ?? envPort(env, 'SANDBOX_IDENTITY_PORT') ?? DEFAULT_PORTS.identity,
    graph: opts.ports?.graph ?? envPort(env, 'SANDBOX_GRAPH_PORT') ?? DEFAULT_PORTS.graph,
    moodle: opts.ports?.moodle ?? envPort(env, 'SANDBOX_MOODLE_PORT') ?? DEFAULT_PORTS.moodle,
    sial: opts.ports?.sial ?? envPort(env, 'SANDBOX_SIAL_PORT') ?? DEFAULT_PORTS.sial,
    oneroster: opts.ports?.oneroster ?? envPort(env, 'SANDBOX_ONEROSTER_PORT') ?? DEFAULT_PORTS.oneroster,
    smtp: opts.ports?.smtp ?? envPort(env, 'SANDBOX_SMTP_PORT') ?? DEFAULT_PORTS.smtp,
    mailbox: opts.ports?.mailbox ?? envPort(env, 'SANDBOX_MAILBOX_PORT') ?? DEFAULT_PORTS.mailbox,
  };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const env = opts.env ?? process.env;
  const host = opts.host ?? env.SANDBOX_HOST ?? '127.0.0.1';
  const ports = portsFrom(env, opts);
  const log = opts.log ?? jsonLogger();
  const ctx: SandboxContext = {
    faults: new FaultRegistry(env),
    counters: new Counters(),
    stateDir: resolve(opts.stateDir ?? env.SANDBOX_STATE_DIR ?? 'var/sandbox'),
  };
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };

  try {
    const graph =
      opts.graph === false
        ? undefined
        : await startGraphStandIn(ctx, {
            host,
            identityPort: ports.identity,
            graphPort: ports.graph,
            tlsNames: (env.SANDBOX_TLS_NAMES ?? '')
              .split(',')
              .map((n) => n.trim())
              .filter(Boolean),
          });
    if (graph) closers.push(graph.close);

    const moodle = new MoodleStore(opts.moodle ?? moodleSeedFromEnv(env));
    const moodleHttp = await listen(moodleApp(ctx, moodle, log), host, ports.moodle);
    closers.push(moodleHttp.close);
    // Moodle builds its URLs (profile images, siteurl) from wwwroot: follow the bound port unless configured.
    if (!(opts.moodle?.config?.siteUrl ?? (env.SANDBOX_MOODLE_CONFIG ?? '').includes('siteUrl')))
      moodle.config = { ...moodle.config, siteUrl: moodleHttp.url };

    const sialInitial = { ...sialConfigFromEnv(env), ...opts.sial };
    const sial = new SialStore(sialInitial);
    const sialHttp = await listen(sialApp(ctx, sial, log), host, ports.sial);
    closers.push(sialHttp.close);

    const oneRosterInitial = { ...oneRosterConfigFromEnv(env), ...opts.oneroster };
    const oneroster = new OneRosterStore(oneRosterInitial);
    const oneRosterHttp = await listen(oneRosterApp(ctx, oneroster, log), host, ports.oneroster);
    closers.push(oneRosterHttp.close);

    const smtp = await startSmtpStandIn(
      ctx,
      {
        host,
        port: ports.smtp,
        mailboxPort: ports.mailbox,
        user: opts.smtp?.user ?? env.SANDBOX_SMTP_USER,
        password: opts.smtp?.password ?? env.SANDBOX_SMTP_PASSWORD,
        knobs: { ...smtpKnobsFromEnv(env), ...opts.smtp?.knobs },
      },
      log,
    );
    closers.push(smtp.close);

    const started = Date.now();
    let admin: Listening | undefined;
    const urls = (): RunningSandbox['urls'] => ({
      admin: admin?.url ?? '',
      identity: graph?.identityUrl,
      graph: graph?.graphUrl,
      moodle: moodleHttp.url,
      sial: sialHttp.url,
      oneroster: oneRosterHttp.url,
      mailbox: smtp.mailboxUrl,
    });
    const app = express();
    app.disable('x-powered-by');
    app.use(
      adminRouter(
        ctx,
        {
          moodle: moodleAdminRouter(moodle),
          sial: sialAdminRouter(sial, sialInitial),
          oneroster: oneRosterAdminRouter(oneroster, oneRosterInitial),
          smtp: smtp.adminRouter(),
          graph: graph ? graphAdminRouter(graph.store) : undefined,
        },
        () => ({
          uptimeSeconds: Math.round((Date.now() - started) / 1000),
          urls: urls(),
          smtp: { host, port: smtp.smtpPort },
        }),
      ),
    );
    admin = await listen(app, host, ports.admin);
    closers.push(admin.close);

    return {
      urls: urls(),
      smtp: { host, port: smtp.smtpPort },
      caFile: graph?.caFile,
      ctx,
      moodle,
      sial,
      oneroster,
      mailbox: smtp.mailbox,
      graph,
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
