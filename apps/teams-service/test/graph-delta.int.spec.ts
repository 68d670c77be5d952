// GraphClient.readUsersDelta against the sandbox's Graph: a round from scratch and one from its
// deltaLink, every page a read through the guard, a link Graph no longer knows read again from scratch,
// and a link that leads elsewhere refused before the token goes with it.
import { PermanentError } from '@lucy/messaging';
import { loadConfig } from '@lucy/platform';
import { createDependencyGuard, type DependencyGuard } from '@lucy/resilience';
import { startTestSandbox, type TestSandboxWithGraph } from '@lucy/testing';
import { teamsConfigSchema } from '../src/config.js';
import { GraphClient } from '../src/graph/graph.client.js';
import { graphClassifier } from '../src/graph/graph.errors.js';
import { GraphTokenProvider } from '../src/graph/graph-token.provider.js';
import { TrustedCa } from '../src/graph/trusted-ca.js';

describe('GraphClient.readUsersDelta', () => {
  let sandbox: TestSandboxWithGraph;
  let ca: TrustedCa;
  let guard: DependencyGuard;
  let client: GraphClient;
  let reads: { kind: string }[];

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const config = loadConfig(teamsConfigSchema, {
      GRAPH_AUTHORITY_HOST: sandbox.urls.identity,
      GRAPH_BASE_URL: sandbox.urls.graph,
      GRAPH_CA_FILE: sandbox.caFile,
      GRAPH_TIMEOUT_MS: '2000',
    });
    ca = new TrustedCa(config);
    // The limiter in this process only (no Redis): what matters here is that every page goes through it.
    guard = createDependencyGuard({ name: 'graph', rate: { limits: { rpm: 6000 } }, classify: graphClassifier });
    client = new GraphClient(config, new GraphTokenProvider(config, ca), ca, guard);
    const call = guard.call.bind(guard);
    guard.call = ((kind, fn) => (reads.push({ kind }), call(kind, fn))) as DependencyGuard['call'];
  });
  afterAll(async () => {
    ca?.onModuleDestroy();
    await sandbox?.close();
  });
  beforeEach(() => {
    sandbox.graph.store.reset();
    reads = [];
  });

  const store = () => sandbox.graph.store;
  let n = 0;
  const addUser = () =>
    store().createUser({
      accountEnabled: true,
      displayName: `Alumno ${++n}`,
      mailNickname: `delta${n}`,
      userPrincipalName: `delta${n}x${Date.now()}@estudiantes.unrc.edu.ar`,
      employeeId: `E${n}`,
      passwordProfile: { password: 'Temporal-2024!' },
    });

  it('reads every user page by page through the guard, then only what changed since the deltaLink', async () => {
    const users = Array.from({ length: 5 }, addUser);
    const first = await client.readUsersDelta(null, { pageSize: 2 });
    expect(first.full).toBe(true);
    expect(first.removed).toEqual([]);
    expect(first.users.map((u) => u.id).sort()).toEqual(users.map((u) => u.id).sort());
    expect(first.users.find((u) => u.id === users[0].id)).toMatchObject({
      userPrincipalName: users[0].props.userPrincipalName,
      accountEnabled: true,
      employeeId: users[0].props.employeeId,
    });
    expect(first.deltaLink.startsWith(`${sandbox.urls.graph}/users/delta?$deltatoken=`)).toBe(true);
    expect(reads).toEqual([{ kind: 'read' }, { kind: 'read' }, { kind: 'read' }]);

    const created = addUser();
    store().updateUser(users[0].id, { accountEnabled: false });
    store().updateUser(users[0].id, { department: 'Ingeniería' });
    store().deleteUser(users[1].id);
    store().deleteUser(users[2].id);
    store().purge(users[2].id);
    const second = await client.readUsersDelta(first.deltaLink, { pageSize: 2 });
    expect(second.full).toBe(false);
    expect(second.users.map((u) => u.id).sort()).toEqual([users[0].id, created.id].sort());
    expect(second.users.find((u) => u.id === users[0].id)).toMatchObject({
      accountEnabled: false,
      department: 'Ingeniería',
    });
    expect(second.removed).toEqual(
      expect.arrayContaining([
        { id: users[1].id, reason: 'changed' },
        { id: users[2].id, reason: 'deleted' },
      ]),
    );
    expect(second.removed).toHaveLength(2);

    const third = await client.readUsersDelta(second.deltaLink);
    expect(third).toMatchObject({ users: [], removed: [], full: false });
  });

  it('reads everything again when Graph says the link expired (400 syncStateNotFound)', async () => {
    const users = [addUser(), addUser()];
    const { deltaLink } = await client.readUsersDelta();
    store().configure({ deltaTokenLifetimeSeconds: 0 });
    await new Promise((r) => setTimeout(r, 5));
    try {
      reads = [];
      const round = await client.readUsersDelta(deltaLink);
      expect(round.full).toBe(true);
      expect(round.users.map((u) => u.id).sort()).toEqual(users.map((u) => u.id).sort());
      // The refused link, then the new round's one page.
      expect(reads).toHaveLength(2);
      expect(sandbox.ctx.counters.total('graph', { endpoint: 'GET /users/delta', status: 400 })).toBe(1);
    } finally {
      store().configure({ deltaTokenLifetimeSeconds: 7 * 86_400 });
    }
  });

  it('reads everything again after a synchronization reset (410 Gone)', async () => {
    const user = addUser();
    const { deltaLink } = await client.readUsersDelta();
    store().configure({ deltaResyncBefore: Date.now() + 1 });
    try {
      const round = await client.readUsersDelta(deltaLink);
      expect(round).toMatchObject({ full: true, removed: [] });
      expect(round.users.map((u) => u.id)).toEqual([user.id]);
      expect(round.deltaLink).not.toBe(deltaLink);
    } finally {
      store().configure({ deltaResyncBefore: 0 });
    }
  });

  it('waits out a 429 on a page, as every guarded call does, and finishes the round', async () => {
    const users = [addUser(), addUser()];
    const { deltaLink } = await client.readUsersDelta();
    for (const u of users) store().updateUser(u.id, { department: 'Económicas' });
    sandbox.ctx.faults.set('graph', { burst429: 1, retryAfterSeconds: 1 });
    try {
      const since = Date.now();
      const round = await client.readUsersDelta(deltaLink, { pageSize: 1 });
      expect(round.users.map((u) => u.department)).toEqual(['Económicas', 'Económicas']);
      expect(Date.now() - since).toBeGreaterThanOrEqual(1000);
    } finally {
      sandbox.ctx.faults.reset('graph');
    }
  });

  it('refuses a link outside GRAPH_BASE_URL without sending anything', async () => {
    await expect(
      client.readUsersDelta('https://graph.example.org/v1.0/users/delta?$deltatoken=abc'),
    ).rejects.toBeInstanceOf(PermanentError);
    expect(reads).toEqual([]);
  });
});
