// The admin API and the Moodle server's transport behaviour (GET, XML, faults, disabled REST), with
// every stand-in, Graph included, started in-process on ephemeral ports.
import { silentLogger } from '../src/log.js';
import { type RunningSandbox, startSandbox } from '../src/sandbox.js';

let sandbox: RunningSandbox;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  sandbox = await startSandbox({ ephemeral: true, log: silentLogger, env: {}, stateDir: 'var/sandbox-test' });
}, 60_000);
beforeEach(async () => {
  await fetch(`${sandbox.urls.admin}/_admin/faults/reset`, { method: 'POST' });
  await fetch(`${sandbox.urls.admin}/_admin/counters/reset`, { method: 'POST' });
  await fetch(`${sandbox.urls.admin}/_admin/moodle/reset`, { method: 'POST' });
});
afterAll(() => sandbox?.close());

const ws = (qs: string) =>
  fetch(`${sandbox.urls.moodle}/webservice/rest/server.php?wstoken=sandbox-moodle-token&${qs}`);

describe('admin API', () => {
  it('reports health and every URL', async () => {
    const h = (await (await fetch(`${sandbox.urls.admin}/_admin/health`)).json()) as any;
    expect(h).toMatchObject({
      status: 'ok',
      urls: { moodle: sandbox.urls.moodle, sial: sandbox.urls.sial, mailbox: sandbox.urls.mailbox },
    });
    expect(h.urls.graph).toMatch(/^https:\/\//);
  });

  it('validates fault knobs and answers 400 with a message', async () => {
    const bad = await fetch(`${sandbox.urls.admin}/_admin/faults/moodle`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ errorRate: 2 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).message).toMatch(/errorRate/);
    const unknown = await fetch(`${sandbox.urls.admin}/_admin/faults/moodle`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ nope: 1 }),
    });
    expect(unknown.status).toBe(400);
    expect((await fetch(`${sandbox.urls.admin}/_admin/faults/nowhere`)).status).toBe(404);
    const ok = await fetch(`${sandbox.urls.admin}/_admin/faults/moodle`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ latencyMs: 5 }),
    });
    expect((await ok.json()) as any).toMatchObject({ latencyMs: 5, errorRate: 0 });
  });

  it('answers Moodle faults as the web server in front would, and counts them', async () => {
    await fetch(`${sandbox.urls.admin}/_admin/faults/moodle`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ burst429: 1, retryAfterSeconds: 3 }),
    });
    const throttled = await ws('wsfunction=core_webservice_get_site_info&moodlewsrestformat=json');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    await fetch(`${sandbox.urls.admin}/_admin/faults/moodle`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ errorRate: 1 }),
    });
    expect((await ws('wsfunction=core_webservice_get_site_info&moodlewsrestformat=json')).status).toBe(502);
    await fetch(`${sandbox.urls.admin}/_admin/faults/moodle`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ errorRate: 0, downForMs: 60_000 }),
    });
    const down = await ws('wsfunction=core_webservice_get_site_info&moodlewsrestformat=json');
    expect(down.status).toBe(503);
    expect(await down.text()).toContain('503 Service Temporarily Unavailable');
    const counters = (await (await fetch(`${sandbox.urls.admin}/_admin/counters?target=moodle`)).json()) as any;
    expect(counters.total).toBe(3);
    expect(counters.rows).toEqual(
      expect.arrayContaining([expect.objectContaining({ endpoint: 'core_webservice_get_site_info', status: 429 })]),
    );
    const log = (await (await fetch(`${sandbox.urls.admin}/_admin/counters/requests?target=moodle`)).json()) as any;
    expect(log.requests.map((r: { status: number }) => r.status)).toEqual([429, 502, 503]);
    expect(log.requests[0].at).toBeLessThanOrEqual(log.requests[2].at);
    const later = (await (
      await fetch(`${sandbox.urls.admin}/_admin/counters/requests?target=moodle&since=${log.requests[2].at + 1}`)
    ).json()) as any;
    expect(later.count).toBe(0);
  });

  it('serves Moodle over GET, in XML by default, and 403 when REST is disabled', async () => {
    const res = await ws('wsfunction=core_course_get_courses_by_field&field=shortname&value=CP-101');
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8" \?>\n<RESPONSE>\n<SINGLE>\n<KEY name="courses"><MULTIPLE>/,
    );
    const err = await (await ws('wsfunction=nope')).text();
    expect(err).toContain('<EXCEPTION class="dml_missing_record_exception">');
    await fetch(`${sandbox.urls.admin}/_admin/moodle/config`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ restEnabled: false }),
    });
    expect((await ws('wsfunction=core_webservice_get_site_info')).status).toBe(403);
    await fetch(`${sandbox.urls.admin}/_admin/moodle/config`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ restEnabled: true }),
    });
  });

  it('shows Moodle users and enrolments, never a password in clear', async () => {
    const body = new URLSearchParams({
      wstoken: 'sandbox-moodle-token',
      wsfunction: 'core_user_create_users',
      moodlewsrestformat: 'json',
      'users[0][username]': 'ana',
      'users[0][password]': 'Secreta-2027',
      'users[0][firstname]': 'Ana',
      'users[0][lastname]': 'Núñez',
      'users[0][email]': 'ana@x.com',
    });
    expect(
      (await (
        await fetch(`${sandbox.urls.moodle}/webservice/rest/server.php`, { method: 'POST', body })
      ).json()) as any,
    ).toEqual([{ id: 3, username: 'ana' }]);
    const enrol = await ws(
      'moodlewsrestformat=json&wsfunction=enrol_manual_enrol_users&enrolments[0][roleid]=5&enrolments[0][userid]=3&enrolments[0][courseid]=2',
    );
    expect(await enrol.text()).toBe('null');
    const users = (await (await fetch(`${sandbox.urls.admin}/_admin/moodle/users?username=ana`)).json()) as any;
    expect(JSON.stringify(users)).not.toContain('Secreta-2027');
    expect(users[0].passwordSha256).toHaveLength(64);
    const enrolments = (await (await fetch(`${sandbox.urls.admin}/_admin/moodle/enrolments?courseid=2`)).json()) as any;
    expect(enrolments).toEqual([expect.objectContaining({ userid: 3, courseid: 2, roleids: [5] })]);
    const calls = (await (await fetch(`${sandbox.urls.admin}/_admin/moodle/calls`)).json()) as any;
    expect(calls.map((c: { wsfunction: string }) => c.wsfunction)).toEqual([
      'core_user_create_users',
      'enrol_manual_enrol_users',
    ]);
  });

  it('mounts the Graph admin router', async () => {
    const res = await fetch(`${sandbox.urls.admin}/_admin/graph/users`);
    expect(res.status).toBeLessThan(500);
  });
});
