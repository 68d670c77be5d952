// `docker compose --profile lucy --profile sandbox up`, where no container engine runs: every service of
// docker-compose.yml started as its container would be (tools/compose-processes.ts: the image's
// entrypoint and ENV, the service's command and interpolated environment, its own healthcheck command),
// with the secrets an operator puts in .env, then a SIAL cohort onboarded end to end. What it proves:
// the endpoints, ports, credentials and shared CA the file wires up fit together. The image's
// node_modules here is the repository's; compiled.e2e.spec.ts proves dist/ needs only `dependencies`.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startComposeProcesses, type ComposeProcesses } from '../tools/compose-processes.js';
import { ROOT } from '../tools/stack.js';
import { expectSialCohortOnboarded } from './support/cohort.js';
import { e2eEnvironment, type E2eEnvironment } from './support/environment.js';
import { gatewayApi } from './support/gateway-api.js';

const COHORT = 8;
const ADMIN_TOKEN = randomBytes(32).toString('base64');
let env: E2eEnvironment;
let imageDir: string;
let compose: ComposeProcesses;
const gw = gatewayApi(() => ({ urls: { gateway: compose.urls.gateway }, adminToken: ADMIN_TOKEN }));

beforeAll(async () => {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'node'), ['tools/build.ts'], { cwd: ROOT, stdio: 'pipe' });
  // What the runtime stage copies into its WORKDIR.
  imageDir = mkdtempSync(join(tmpdir(), 'lucy-image-'));
  symlinkSync(join(ROOT, 'dist'), join(imageDir, 'dist'));
  symlinkSync(join(ROOT, 'node_modules'), join(imageDir, 'node_modules'));
  copyFileSync(join(ROOT, 'package.json'), join(imageDir, 'package.json'));
  mkdirSync(join(imageDir, 'var', 'sandbox'), { recursive: true });
  // Its processes take the infra URLs below as compose-processes.ts maps them, not per-service accounts.
  env = await e2eEnvironment('compose', { accounts: false });
  compose = await startComposeProcesses({
    profiles: ['lucy', 'sandbox'],
    // .env as the README has an operator write it for the demo.
    vars: {
      ADMIN_TOKEN,
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      SIAL_PASSWORD: randomBytes(16).toString('hex'),
      SANDBOX_SIAL_COHORT: String(COHORT),
      SMTP_RPM: '1200',
      MOODLE_RPM: '3000',
    },
    imageDir,
    portBase: 6100,
    infra: {
      DATABASE_URL: env.databaseUrl,
      RABBITMQ_URL: env.rabbitmqUrl,
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/13`,
    },
    logDir: join(ROOT, 'var', 'e2e-compose', 'log'),
    // Six processes starting at once, each probed as Docker would: slow on a busy machine.
    readyTimeoutMs: 240_000,
  });
}, 300_000);

afterAll(async () => {
  await compose?.stop();
  await env?.dispose();
  if (imageDir) rmSync(imageDir, { recursive: true, force: true });
}, 60_000);

describe('docker-compose.yml with the lucy and sandbox profiles', () => {
  it('starts every service from the image entrypoint, each passing its own healthcheck', () => {
    expect(Object.keys(compose.urls).sort()).toEqual(
      ['gateway', 'ingest-service', 'mail-service', 'moodle-service', 'sandbox', 'teams-service'].sort(),
    );
  });

  it('onboards a SIAL cohort against the stand-ins: accounts over HTTPS, courses and one email each', async () => {
    await expectSialCohortOnboarded(gw, {
      admin: compose.urls.sandbox,
      mailbox: `http://127.0.0.1:${compose.sandboxPorts.mailbox}`,
    });
  }, 150_000);
});
