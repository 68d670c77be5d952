// docker-compose.yml, .env.example and the Dockerfile read as compose and Docker read them, for the
// mistakes that only show once containers run: a service never healthy or started before its broker, a
// variable no service reads (a typo), an endpoint that misses the sandbox, a secret written into the file,
// an image that runs as root or carries the build's dependencies.
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { DEFAULT_PORTS } from '@lucy/sandbox';
import { gatewayConfigSchema } from '../apps/gateway/src/config.js';
import { ingestConfigSchema } from '../apps/ingest-service/src/config.js';
import { mailConfigSchema } from '../apps/mail-service/src/config.js';
import { moodleConfigSchema } from '../apps/moodle-service/src/config.js';
import { SANDBOX_CA_FILE, teamsConfigSchema } from '../apps/teams-service/src/config.js';
import { composeServices, INTERPOLATION, interpolate, runtimeStage } from './compose-processes.js';
import { ROOT } from './stack.js';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const services = composeServices();
const LUCY = ['gateway', 'ingest-service', 'teams-service', 'moodle-service', 'mail-service'];
const schemas: Record<string, { shape: Record<string, unknown> }> = {
  gateway: gatewayConfigSchema,
  'ingest-service': ingestConfigSchema,
  'teams-service': teamsConfigSchema,
  'moodle-service': moodleConfigSchema,
  'mail-service': mailConfigSchema,
};

/** A value as compose gives it when .env leaves its variables unset. */
const unset = (value: string | number) => interpolate(String(value), {});
const env = (service: string) => services[service].environment ?? {};

describe('docker-compose.yml', () => {
  it('puts the five services in profile "lucy", the stand-ins in "sandbox", and the broker, database and Redis in none', () => {
    for (const s of LUCY) expect([s, services[s]?.profiles]).toEqual([s, ['lucy']]);
    expect(services.sandbox.profiles).toEqual(['sandbox']);
    for (const s of ['rabbitmq', 'postgres', 'redis']) expect([s, services[s].profiles]).toEqual([s, undefined]);
  });

  it('gives every service a healthcheck, and starts a service only once what it depends on is healthy', () => {
    for (const [name, s] of Object.entries(services)) {
      const test = s.healthcheck?.test;
      expect([name, s.healthcheck?.disable ?? false]).toEqual([name, false]);
      expect([name, Array.isArray(test) ? test[0] : test]).toEqual([name, expect.stringMatching(/^CMD(-SHELL)?$/)]);
      expect(Array.isArray(s.depends_on)).toBe(false); // the short form waits for "started", not "healthy"
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect([name, dep, condition]).toEqual([name, dep, 'service_healthy']);
        expect(services[dep]?.healthcheck).toBeDefined();
        // A dependency outside the dependent's profiles would be missing whenever only those are enabled.
        expect([name, dep, services[dep].profiles ?? s.profiles]).toEqual([name, dep, s.profiles]);
      }
    }
  });

  it('runs each Lucy service from its compiled entry point, probed on the port the gateway reads it on', () => {
    for (const s of [...LUCY, 'sandbox']) {
      const entry = services[s].command?.at(-1) ?? '';
      expect([s, entry]).toEqual([s, `dist/apps/${s}/src/main.js`]);
      expect(existsSync(join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
    for (const s of LUCY) {
      expect(JSON.stringify(services[s].healthcheck?.test)).toContain("process.env.PORT+'/health/ready'");
      const port = Number(env(s).PORT);
      expect([s, Number.isInteger(port) && port > 0]).toEqual([s, true]);
      if (s === 'gateway') continue;
      const variable = `${s.replace(/-service$/, '').toUpperCase()}_SERVICE_URL`;
      expect([variable, env('gateway')[variable]]).toEqual([variable, `http://${s}:${port}`]);
    }
  });

  it('passes each Lucy service only variables its configuration reads', () => {
    for (const s of LUCY) {
      // loadConfig reads the schema's keys (or NAME_FILE for one): any other variable is silently ignored.
      const unknown = Object.keys(env(s)).filter((k) => !(k.replace(/_FILE$/, '') in schemas[s].shape));
      expect([s, unknown]).toEqual([s, []]);
    }
  });

  it('points every endpoint at the sandbox, on the ports it listens on, unless .env names another', () => {
    const sandboxUrl = (service: string, variable: string, port: number) => {
      const url = new URL(unset(env(service)[variable]));
      expect([variable, url.hostname, Number(url.port)]).toEqual([variable, 'sandbox', port]);
      expect(String(env(service)[variable])).toMatch(new RegExp(`^\\$\\{${variable}:-`));
      return url;
    };
    sandboxUrl('ingest-service', 'SIAL_URL', DEFAULT_PORTS.sial);
    sandboxUrl('moodle-service', 'MOODLE_URL', DEFAULT_PORTS.moodle);
    sandboxUrl('teams-service', 'GRAPH_BASE_URL', DEFAULT_PORTS.graph);
    const authority = sandboxUrl('teams-service', 'GRAPH_AUTHORITY_HOST', DEFAULT_PORTS.identity);
    expect([unset(env('mail-service').SMTP_HOST), Number(unset(env('mail-service').SMTP_PORT))]).toEqual([
      'sandbox',
      DEFAULT_PORTS.smtp,
    ]);

    const sandbox = env('sandbox');
    expect(sandbox.SANDBOX_HOST).toBe('0.0.0.0');
    // TLS checks the name teams-service dials: the sandbox's certificate must carry it.
    expect(String(sandbox.SANDBOX_TLS_NAMES).split(',')).toContain(authority.hostname);
    expect(JSON.stringify(services.sandbox.healthcheck?.test)).toContain(
      `127.0.0.1:${DEFAULT_PORTS.admin}/_admin/health`,
    );
    // teams-service finds the CA that signed it where it looks by default, on the sandbox's own volume.
    const state = services.sandbox.volumes?.find((v) => v.split(':')[1] === sandbox.SANDBOX_STATE_DIR);
    const volume = state?.split(':')[0];
    const teams = services['teams-service'].volumes?.find((v) => v.startsWith(`${volume}:`));
    const caFolder = posix.join(runtimeStage().workdir, posix.dirname(posix.dirname(SANDBOX_CA_FILE)));
    expect(teams?.split(':')[1]).toBe(caFolder);
  });

  it("takes every secret of Lucy's processes from .env, with no value written into the file", () => {
    for (const name of [...LUCY, 'sandbox']) {
      for (const [key, value] of Object.entries(env(name))) {
        if (!/(PASSWORD|PASS|SECRET|TOKEN|_KEY)$/.test(key)) continue;
        expect([name, key, value]).toEqual([name, key, expect.stringMatching(/^\$\{[A-Z_]+(:-)?\}$/)]);
      }
    }
  });

  it('publishes the gateway on a host port from the environment, and no other Lucy process at all', () => {
    expect(services.gateway.ports?.length).toBeGreaterThan(0);
    for (const p of services.gateway.ports ?? []) expect(p).toMatch(/^\$\{[^}]+\}:\$\{[^}]+\}:3000$/);
    for (const s of [...LUCY.slice(1), 'sandbox']) expect([s, services[s].ports]).toEqual([s, undefined]);
  });
});

describe('.env.example', () => {
  const lines = read('.env.example').split('\n');
  const listed = new Map(
    lines.flatMap((l) => {
      const m = /^#?([A-Z][A-Z0-9_]*)=(.*)$/.exec(l);
      return m ? [[m[1], m[2]] as const] : [];
    }),
  );

  it('lists every variable docker-compose.yml reads from the environment', () => {
    const used = [...read('docker-compose.yml').matchAll(INTERPOLATION)].map((m) => m[1]);
    expect([...new Set(used)].filter((v) => !listed.has(v))).toEqual([]);
  });

  it('holds no secret', () => {
    const filled = [...listed].filter(([k, v]) => /(PASSWORD|PASS|SECRET|TOKEN|_KEY)$/.test(k) && v.trim() !== '');
    expect(filled).toEqual([]);
  });
});

describe('Dockerfile', () => {
  // Stages by name, each with its instructions (continuation lines joined, comments dropped).
  const stages: { name: string; lines: string[] }[] = [];
  for (const line of read('Dockerfile').replace(/\\\n/g, ' ').split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[1] ?? String(stages.length), lines: [] });
    else stages.at(-1)?.lines.push(line.trim());
  }
  const runtime = stages.at(-1)!;

  it('runs the services as an unprivileged user', () => {
    const user = runtime.lines.filter((l) => /^USER\s/i.test(l)).at(-1);
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('ships production dependencies only: node_modules from an `npm ci --omit=dev` stage, no install after', () => {
    const copies = runtime.lines.filter((l) => /^COPY\s+--from=\S+\s+\S*node_modules/i.test(l));
    expect(copies).toHaveLength(1);
    const from = /--from=(\S+)/.exec(copies[0])![1];
    const installs = stages.find((s) => s.name === from)!.lines.filter((l) => /\bnpm\s+(ci|install|i)\b/.test(l));
    expect(installs).toEqual([expect.stringMatching(/npm ci .*--omit=dev/)]);
    expect(runtime.lines.filter((l) => /\bnpm\s+(ci|install|i)\b/.test(l))).toEqual([]);
  });

  it('keeps .env out of the build context', () => {
    expect(read('.dockerignore').split('\n')).toContain('.env');
  });
});
