// The OneRoster 1.1 stand-in over HTTP: OAuth 1.0a and OAuth 2, envelopes, paging headers, filters,
// statusInfoSet errors, deltas after admin changes, faults and the CSV package (as JSON and as a zip).
import { entradasDelZip } from '@lucy/testing';
import { baseString, hmacSha256, rfc3986 } from '../src/oneroster/oauth1.js';
import { silentLogger } from '../src/log.js';
import { type RunningSandbox, startSandbox } from '../src/sandbox.js';

let sandbox: RunningSandbox;
let nonce = 0;
const BASE = '/ims/oneroster/v1p1';

beforeAll(async () => {
  sandbox = await startSandbox({ ephemeral: true, graph: false, log: silentLogger, env: {}, oneroster: { size: 40 } });
});
beforeEach(async () => {
  await fetch(`${sandbox.urls.admin}/_admin/oneroster/reset`, { method: 'POST' });
  await fetch(`${sandbox.urls.admin}/_admin/faults/reset`, { method: 'POST' });
});
afterAll(() => sandbox?.close());

function signed(pathAndQuery: string, secret = 'sandbox-oneroster-secret', over: Record<string, string> = {}) {
  const url = new URL(`${sandbox.urls.oneroster}${pathAndQuery}`);
  const oauth: Record<string, string> = {
    oauth_consumer_key: 'lucy',
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_nonce: `test-${++nonce}`,
    oauth_version: '1.0',
    ...over,
  };
  oauth.oauth_signature = hmacSha256(baseString('GET', url, [...url.searchParams, ...Object.entries(oauth)]), secret);
  const authorization = `OAuth ${Object.entries(oauth)
    .map(([k, v]) => `${k}="${rfc3986(v)}"`)
    .join(', ')}`;
  return { url, authorization };
}

const get = async (pathAndQuery: string) => {
  const { url, authorization } = signed(pathAndQuery);
  return fetch(url, { headers: { authorization } });
};
const admin = (path: string, method = 'GET', body?: unknown) =>
  fetch(`${sandbox.urls.admin}/_admin/oneroster${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const codeMinor = (b: any) => b.statusInfoSet[0].imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue;

describe('OneRoster stand-in', () => {
  it('refuses unsigned, badly signed and replayed requests with a statusInfoSet', async () => {
    const none = await fetch(`${sandbox.urls.oneroster}${BASE}/students`);
    expect(none.status).toBe(401);
    const body = (await none.json()) as any;
    expect(body.statusInfoSet[0]).toMatchObject({ imsx_codeMajor: 'failure', imsx_severity: 'error' });
    expect(codeMinor(body)).toBe('unauthorisedrequest');
    const bad = signed(`${BASE}/students`, 'wrong');
    expect((await fetch(bad.url, { headers: { authorization: bad.authorization } })).status).toBe(401);
    const good = signed(`${BASE}/students`);
    expect((await fetch(good.url, { headers: { authorization: good.authorization } })).status).toBe(200);
    const replay = await fetch(good.url, { headers: { authorization: good.authorization } });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as any).statusInfoSet[0].imsx_description).toMatch(/nonce/);
    const old = signed(`${BASE}/students`, undefined, {
      oauth_timestamp: String(Math.floor(Date.now() / 1000) - 3600),
    });
    expect((await fetch(old.url, { headers: { authorization: old.authorization } })).status).toBe(401);
  });

  it('issues OAuth 2 client-credentials tokens and accepts them as bearer', async () => {
    const basic = `Basic ${Buffer.from('lucy:sandbox-oneroster-secret').toString('base64')}`;
    const tok = await fetch(`${sandbox.urls.oneroster}/token`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(tok.status).toBe(200);
    const t = (await tok.json()) as any;
    expect(t).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    const ok = await fetch(`${sandbox.urls.oneroster}${BASE}/classes`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).classes.length).toBeGreaterThan(0);
    const wrong = await fetch(`${sandbox.urls.oneroster}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=lucy&client_secret=nope',
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).error).toBe('invalid_client');
    const forged = await fetch(`${sandbox.urls.oneroster}${BASE}/classes`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/Bearer/);
  });

  it('pages students with limit/offset, X-Total-Count and Link next/last', async () => {
    const total = sandbox.oneroster.roster.users.filter((u) => u.role === 'student').length;
    let next: string | undefined = `${BASE}/students?limit=7`;
    const seen: string[] = [];
    let pages = 0;
    while (next) {
      const res = await get(next);
      expect(res.status).toBe(200);
      expect(Number(res.headers.get('x-total-count'))).toBe(total);
      const link = res.headers.get('link')!;
      expect(link).toMatch(/rel="last"/);
      const body = (await res.json()) as any;
      seen.push(...body.users.map((u: any) => u.sourcedId));
      expect(body.users.every((u: any) => u.role === 'student')).toBe(true);
      const m = /<([^>]+)>; rel="next"/.exec(link);
      next = m ? new URL(m[1]!).pathname + new URL(m[1]!).search : undefined;
      pages++;
    }
    expect(pages).toBe(Math.ceil(total / 7));
    expect(new Set(seen).size).toBe(total);
  });

  it('answers single objects in their envelope, and 404 unknownobject', async () => {
    const u = sandbox.oneroster.roster.users.find((x) => x.role === 'student')!;
    const one = (await (await get(`${BASE}/students/${u.sourcedId}`)).json()) as any;
    expect(one.user).toMatchObject({ sourcedId: u.sourcedId, givenName: u.givenName, role: 'student' });
    const teacher = sandbox.oneroster.roster.users.find((x) => x.role === 'teacher')!;
    const miss = await get(`${BASE}/students/${teacher.sourcedId}`);
    expect(miss.status).toBe(404);
    expect(codeMinor(await miss.json())).toBe('unknownobject');
  });

  it('refuses a bad filter with 400 invalid_filter_field, and selects fields', async () => {
    const bad = await get(`${BASE}/users?filter=${encodeURIComponent('apellido=x')}`);
    expect(bad.status).toBe(400);
    expect(codeMinor(await bad.json())).toBe('invalid_filter_field');
    const sel = (await (await get(`${BASE}/users?fields=sourcedId,familyName&limit=2&sort=familyName`)).json()) as any;
    expect(Object.keys(sel.users[0]).sort()).toEqual(['familyName', 'sourcedId']);
  });

  it('with nestedFilterFields off, refuses a filter on user.sourcedId with 400 invalid_filter_field', async () => {
    const e = sandbox.oneroster.roster.enrollments[0]!;
    const filtro = `?filter=${encodeURIComponent(`user.sourcedId='${e.user.sourcedId}'`)}`;
    expect((await get(`${BASE}/enrollments${filtro}`)).status).toBe(200);
    await fetch(`${sandbox.urls.admin}/_admin/oneroster/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nestedFilterFields: false }),
    });
    const bad = await get(`${BASE}/enrollments${filtro}`);
    expect(bad.status).toBe(400);
    expect(codeMinor(await bad.json())).toBe('invalid_filter_field');
    expect((await get(`${BASE}/enrollments?filter=${encodeURIComponent("status='active'")}`)).status).toBe(200);
  });

  it('returns only what changed since a date: a changed user, a removed one (tobedeleted) and a new one', async () => {
    const since = new Date().toISOString();
    const before = (await (
      await get(`${BASE}/users?filter=${encodeURIComponent(`dateLastModified>'${since}'`)}`)
    ).json()) as any;
    expect(before.users).toEqual([]);
    const [a, b] = sandbox.oneroster.roster.users.filter((u) => u.role === 'student');
    expect((await admin(`/users/${a!.sourcedId}`, 'PATCH', { email: 'nuevo@gmail.com' })).status).toBe(200);
    expect((await admin(`/users/${b!.sourcedId}`, 'DELETE')).status).toBe(200);
    const alta = await admin('/users', 'POST', {
      sourcedId: 'usr-tardio',
      givenName: 'Zoe',
      familyName: 'Agüero',
      identifier: '47111222',
      classes: ['cls-ing-2027-intro-a'],
    });
    expect(alta.status).toBe(201);
    const filter = encodeURIComponent(`dateLastModified>'${since}'`);
    const delta = (await (await get(`${BASE}/users?filter=${filter}&sort=sourcedId`)).json()) as any;
    const byId = Object.fromEntries(delta.users.map((u: any) => [u.sourcedId, u]));
    expect(Object.keys(byId).sort()).toEqual([a!.sourcedId, b!.sourcedId, 'usr-tardio'].sort());
    expect(byId[a!.sourcedId]).toMatchObject({ status: 'active', email: 'nuevo@gmail.com' });
    expect(byId[b!.sourcedId].status).toBe('tobedeleted');
    const enr = (await (await get(`${BASE}/enrollments?filter=${filter}`)).json()) as any;
    expect(
      enr.enrollments.filter((e: any) => e.user.sourcedId === b!.sourcedId && e.status === 'tobedeleted').length,
    ).toBe(sandbox.oneroster.roster.enrollments.filter((e) => e.user.sourcedId === b!.sourcedId).length);
    expect(enr.enrollments.some((e: any) => e.user.sourcedId === 'usr-tardio')).toBe(true);
  });

  it('answers 429 with Retry-After and server_busy when the fault knob says so', async () => {
    sandbox.ctx.faults.set('oneroster', { burst429: 1, retryAfterSeconds: 3 });
    const res = await get(`${BASE}/students`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(codeMinor(await res.json())).toBe('server_busy');
    expect((await get(`${BASE}/students`)).status).toBe(200);
  });

  it('exports the roster as a OneRoster CSV package, bulk and delta', async () => {
    const bulk = (await (await admin('/csv')).json()) as any;
    expect(bulk.files['manifest.csv']).toContain('file.users,bulk\r\n');
    const users = bulk.files['users.csv'].split('\r\n');
    expect(users[0]).toBe(
      'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
    );
    expect(users.filter(Boolean)).toHaveLength(sandbox.oneroster.roster.users.length + 1);
    // A millisecond back: the filter is strictly after `since`, and a local DELETE can land in the same ms.
    const since = new Date(Date.now() - 1).toISOString();
    const [a] = sandbox.oneroster.roster.users;
    expect((await admin(`/users/${a!.sourcedId}`, 'DELETE')).status).toBe(200);
    const delta = (await (await admin(`/csv?mode=delta&since=${encodeURIComponent(since)}`)).json()) as any;
    expect(delta.files['manifest.csv']).toContain('file.users,delta\r\n');
    expect(delta.files['manifest.csv']).toContain('file.orgs,absent\r\n');
    const rows = delta.files['users.csv'].split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(new RegExp(`^${a!.sourcedId},tobedeleted,`));
    expect((await admin('/csv?mode=delta')).status).toBe(400);
  });

  it("serves the CSV package as a zip: manifest.csv first, every file at its root with the JSON package's text", async () => {
    const res = await admin('/csv.zip');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=oneroster-bulk.zip');
    const entradas = await entradasDelZip(Buffer.from(await res.arrayBuffer()));
    const { files } = (await (await admin('/csv')).json()) as { files: Record<string, string> };
    expect(entradas.map((e) => e.nombre)).toEqual([
      'manifest.csv',
      'orgs.csv',
      'academicSessions.csv',
      'courses.csv',
      'classes.csv',
      'users.csv',
      'enrollments.csv',
    ]);
    expect(Object.fromEntries(entradas.map((e) => [e.nombre, e.texto]))).toEqual(files);

    const since = new Date(Date.now() - 1).toISOString();
    const [a] = sandbox.oneroster.roster.users;
    expect((await admin(`/users/${a!.sourcedId}`, 'DELETE')).status).toBe(200);
    const delta = await admin(`/csv.zip?mode=delta&since=${encodeURIComponent(since)}`);
    expect(delta.headers.get('content-disposition')).toMatch(
      /^attachment; filename=oneroster-delta-\d{8}T\d{6}Z\.zip$/,
    );
    const deltaEntradas = await entradasDelZip(Buffer.from(await delta.arrayBuffer()));
    // Files with no change are declared absent and left out.
    expect(deltaEntradas.map((e) => e.nombre)).toEqual(['manifest.csv', 'users.csv', 'enrollments.csv']);
    expect(deltaEntradas[0]!.texto).toContain('file.orgs,absent\r\n');
    expect(deltaEntradas[1]!.texto.split('\r\n')[1]).toMatch(new RegExp(`^${a!.sourcedId},tobedeleted,`));
    expect((await admin('/csv.zip?mode=delta')).status).toBe(400);
  });
});
