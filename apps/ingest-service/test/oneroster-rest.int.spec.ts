// OneRosterRestClient against the sandbox's OneRoster stand-in: a full read paged with limit/offset,
// then a read of only what changed (filter on dateLastModified), OAuth 1.0a and OAuth 2, refused
// credentials, a 429 waited out through the guard, and the server's statusInfoSet in our errors.
import { PermanentError, TransientError } from '@lucy/messaging';
import { createDependencyGuard, type DependencyGuard } from '@lucy/resilience';
import { startTestSandbox, type TestSandbox } from '@lucy/testing';
import { OneRosterRestClient, type OneRosterRestOptions } from '../src/oneroster/rest/oneroster-rest.client.js';
import { oneRosterClassifier } from '../src/oneroster/rest/oneroster-rest.errors.js';

const SECRET = 'sandbox-oneroster-secret';

describe('OneRosterRestClient', () => {
  let sandbox: TestSandbox;
  let guard: DependencyGuard;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ graph: false, oneroster: { size: 30 } });
  });
  afterAll(() => sandbox?.close());
  beforeEach(async () => {
    sandbox.oneroster.reset({ size: 30 });
    sandbox.ctx.faults.reset();
    sandbox.ctx.counters.reset();
    // The limiter in this process only (no Redis): a 429 pauses it for the Retry-After, then the call is sent again.
    guard = createDependencyGuard({
      name: 'oneroster',
      rate: { limits: { rpm: 6000 } },
      classify: oneRosterClassifier,
    });
  });

  const client = (auth: Partial<OneRosterRestOptions['auth']> = {}, extra: Partial<OneRosterRestOptions> = {}) =>
    new OneRosterRestClient(
      {
        baseUrl: sandbox.urls.oneroster,
        auth: { kind: 'oauth1', consumerKey: 'lucy', consumerSecret: SECRET, ...auth } as OneRosterRestOptions['auth'],
        pageSize: 7,
        timeoutMs: 5000,
        ...extra,
      },
      guard,
    );
  const requests = (path: string) =>
    sandbox.ctx.counters.total('oneroster', { endpoint: `/ims/oneroster/v1p1/${path}`, status: 200 });
  const roster = () => sandbox.oneroster.roster;

  it('reads every student, class and enrollment page by page, then only what changed', async () => {
    const c = client();
    const primera = await c.leer();
    const students = roster().users.filter((u) => u.role === 'student');
    expect(primera.modo).toBe('completa');
    expect(primera.alumnos.map((a) => a.sourcedId).sort()).toEqual(students.map((s) => s.sourcedId).sort());
    expect(primera.clases).toHaveLength(roster().classes.length);
    expect(primera.cursos.map((x) => x.sourcedId).sort()).toEqual(
      roster()
        .courses.map((x) => x.sourcedId)
        .sort(),
    );
    expect(primera.inscripciones).toHaveLength(roster().enrollments.length);
    expect(requests('students')).toBe(Math.ceil(students.length / 7));
    expect(requests('enrollments')).toBe(Math.ceil(roster().enrollments.length / 7));

    // Between two runs: a student changes their email, another leaves.
    const [a, b] = students;
    await sandbox.admin(`/oneroster/users/${a!.sourcedId}`, 'PATCH', { email: 'otro@gmail.com' });
    await sandbox.admin(`/oneroster/users/${b!.sourcedId}`, 'DELETE');
    sandbox.ctx.counters.reset();
    const segunda = await c.leer(primera.marca);
    expect(segunda.modo).toBe('cambios');
    expect(segunda.alumnos.map((x) => [x.sourcedId, x.status]).sort()).toEqual(
      [
        [a!.sourcedId, 'active'],
        [b!.sourcedId, 'tobedeleted'],
      ].sort(),
    );
    expect(segunda.alumnos.find((x) => x.sourcedId === a!.sourcedId)).toMatchObject({ email: 'otro@gmail.com' });
    expect(segunda.clases).toEqual([]);
    expect(segunda.cursos).toEqual([]);
    expect(segunda.inscripciones.length).toBeGreaterThan(0);
    expect(segunda.inscripciones.every((e) => e.status === 'tobedeleted')).toBe(true);
    // One page each: the server was asked for changes only.
    expect(requests('students')).toBe(1);
    expect(requests('classes')).toBe(1);
    expect(segunda.marca.getTime()).toBeGreaterThanOrEqual(primera.marca.getTime());
  });

  it('authenticates with OAuth 2 client credentials, asking one token for the whole read', async () => {
    const c = client({
      kind: 'oauth2',
      tokenUrl: `${sandbox.urls.oneroster}/token`,
      clientId: 'lucy',
      clientSecret: SECRET,
    });
    const lectura = await c.leer();
    expect(lectura.alumnos.length).toBeGreaterThan(0);
    expect(sandbox.ctx.counters.total('oneroster', { endpoint: '/token' })).toBe(1);
  });

  it('refuses wrong credentials as a permanent error with the server’s reason', async () => {
    const firma = client({ consumerSecret: 'otra' }).listar('students');
    await expect(firma).rejects.toBeInstanceOf(PermanentError);
    await expect(client({ consumerSecret: 'otra' }).listar('students')).rejects.toThrow(
      /credenciales rechazadas \(HTTP 401 unauthorisedrequest: invalid oauth_signature\)/,
    );
    const token = client({
      kind: 'oauth2',
      tokenUrl: `${sandbox.urls.oneroster}/token`,
      clientId: 'lucy',
      clientSecret: 'otra',
    });
    await expect(token.listar('students')).rejects.toThrow(/token: credenciales rechazadas.*invalid_client/);
  });

  it('waits out a 429 for its Retry-After and carries on', async () => {
    sandbox.ctx.faults.set('oneroster', { burst429: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const alumnos = await client().listar('students');
    expect(alumnos).toHaveLength(roster().users.filter((u) => u.role === 'student').length);
    expect(sandbox.ctx.counters.total('oneroster', { status: 429 })).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('surfaces the statusInfoSet of an error: unknown endpoint (permanent), server failure (transient)', async () => {
    const mal = client({}, { baseUrl: `${sandbox.urls.oneroster}/otro` });
    await expect(mal.listar('classes')).rejects.toThrow(
      /HTTP 404 unknownobject: No endpoint GET \/otro\/ims\/oneroster\/v1p1\/classes/,
    );
    sandbox.ctx.faults.set('oneroster', { errorRate: 1 });
    const e = await client()
      .listar('classes')
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TransientError);
    expect((e as Error).message).toMatch(/HTTP 500 internal_server_error/);
  });
});
