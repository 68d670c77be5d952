// MSAL client credentials against the sandbox's identity platform, through our network client (the
// sandbox CA trusted by its agent, not by the process): cached, renewed before expiry, failures transient.
import { loadConfig } from '@lucy/platform';
import { TransientError } from '@lucy/messaging';
import { startTestSandbox, type TestSandboxWithGraph } from '@lucy/testing';
import { teamsConfigSchema } from '../src/config.js';
import { GraphTokenProvider } from '../src/graph/graph-token.provider.js';
import { TrustedCa } from '../src/graph/trusted-ca.js';

const TOKEN = { endpoint: 'POST /{tenant}/oauth2/v2.0/token' };

describe('Graph tokens', () => {
  let sandbox: TestSandboxWithGraph;
  const cas: TrustedCa[] = [];

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(async () => {
    for (const ca of cas) ca.onModuleDestroy();
    await sandbox?.close();
  });
  afterEach(() => {
    sandbox.ctx.faults.reset();
    sandbox.graph.store.configure({ tokenLifetimeSeconds: 3599 });
  });

  function provider(env: Record<string, string> = {}) {
    const config = loadConfig(teamsConfigSchema, {
      GRAPH_AUTHORITY_HOST: sandbox.urls.identity,
      GRAPH_BASE_URL: sandbox.urls.graph,
      GRAPH_CA_FILE: sandbox.caFile,
      GRAPH_TIMEOUT_MS: '1000',
      ...env,
    });
    const ca = new TrustedCa(config);
    cas.push(ca);
    return new GraphTokenProvider(config, ca);
  }

  const jwtExp = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;

  it('gets a token once and serves it from the cache while it is far from expiry', async () => {
    const tokens = provider();
    const before = sandbox.ctx.counters.total('identity', TOKEN);
    const a = await tokens.token();
    const b = await tokens.token();
    expect(b).toBe(a);
    expect(sandbox.ctx.counters.total('identity', TOKEN) - before).toBe(1);
    expect(jwtExp(a) - Date.now() / 1000).toBeGreaterThan(3500);
  });

  it('renews a token that is within five minutes of expiring, before it expires', async () => {
    sandbox.graph.store.configure({ tokenLifetimeSeconds: 240 });
    const tokens = provider();
    const before = sandbox.ctx.counters.total('identity', TOKEN);
    const a = await tokens.token();
    const b = await tokens.token();
    // Still valid for about 4 minutes, yet inside MSAL's 300 s renewal offset: fetched anew.
    expect(jwtExp(a) * 1000).toBeGreaterThan(Date.now() + 200_000);
    expect(sandbox.ctx.counters.total('identity', TOKEN) - before).toBe(2);
    expect(b).not.toBe(a);
  });

  it('skips the cache when asked to renew (Graph refused the cached token)', async () => {
    const tokens = provider();
    const before = sandbox.ctx.counters.total('identity', TOKEN);
    await tokens.token();
    await tokens.token(true);
    expect(sandbox.ctx.counters.total('identity', TOKEN) - before).toBe(2);
  });

  it('reports a rejected secret as a transient graph-auth error with the AADSTS code', async () => {
    const err = await provider({ GRAPH_CLIENT_SECRET: 'wrong' })
      .token()
      .catch((e) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'graph-auth' });
    expect(err.message).toContain('AADSTS7000215');
    expect(err.message).not.toContain('wrong');
  });

  it('reports an identity platform that is down or silent as transient', async () => {
    sandbox.ctx.faults.set('identity', { downUntil: Date.now() + 60_000 });
    expect(
      await provider()
        .token()
        .catch((e) => e),
    ).toBeInstanceOf(TransientError);
    sandbox.ctx.faults.reset('identity');
    sandbox.ctx.faults.set('identity', { hangMs: 1500 });
    expect(
      await provider()
        .token()
        .catch((e) => e),
    ).toBeInstanceOf(TransientError);
  });
});
