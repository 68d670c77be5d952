// The compiled stack, as production runs it: `npm run build` into dist/, then every service started from
// its JavaScript with no compiler loaded, onboarding a small SIAL cohort end to end. And the production
// image's promise: what dist/ imports is in `dependencies`, so `npm ci --omit=dev` is enough to run it.
import { execFileSync } from 'node:child_process';
import { globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, ROOT, type Stack } from '../tools/stack.js';
import { expectSialCohortOnboarded } from './support/cohort.js';
import { e2eEnvironment, type E2eEnvironment } from './support/environment.js';
import { gatewayApi } from './support/gateway-api.js';

const COHORT = 12;
let env: E2eEnvironment;
let stack: Stack;
const gw = gatewayApi(() => stack);

beforeAll(async () => {
  // The build as `npm run build` runs it (the `node` devDependency is Node 24, which runs tools/*.ts as is).
  execFileSync(join(ROOT, 'node_modules', '.bin', 'node'), ['tools/build.ts'], { cwd: ROOT, stdio: 'pipe' });
  env = await e2eEnvironment('compiled');
  stack = await startStack({
    portBase: 5700,
    compiled: true,
    varDir: join(ROOT, 'var', 'e2e-compiled'),
    env: {
      RABBITMQ_URL: env.rabbitmqUrl,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/12`,
      LOG_LEVEL: 'info',
    },
    serviceEnv: env.serviceEnv({ sandbox: { SANDBOX_SIAL_COHORT: String(COHORT), SANDBOX_SIAL_SEED: '2031' } }),
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await env?.dispose();
}, 60_000);

describe('the compiled stack', () => {
  it('runs every process from dist/, with no TypeScript loader', () => {
    for (const p of stack.processes.values()) {
      const args = p.child.spawnargs.join(' ');
      expect(args).toMatch(/dist\/apps\/[a-z-]+\/src\/main\.js$/);
      expect(args).not.toMatch(/swc|ts-node|tsx/);
    }
  });

  it('onboards a SIAL cohort: accounts, courses and one email each', async () => {
    await expectSialCohortOnboarded(gw, { admin: stack.urls.sandboxAdmin!, mailbox: stack.urls.mailbox! });
  });

  it('imports, from dist/, only Node built-ins, its own files and production dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const missing = new Set<string>();
    for (const file of globSync('dist/**/*.js', { cwd: ROOT })) {
      const code = readFileSync(join(ROOT, file), 'utf8');
      for (const [, spec] of code.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!pkg.dependencies[name]) missing.add(`${name} (${file})`);
      }
    }
    expect([...missing]).toEqual([]);
  });
});
