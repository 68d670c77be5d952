// Replays apps/sandbox/fixtures/moodle/*.json against the Moodle stand-in: each fixture is a request
// (wsfunction + parameters, sent form-encoded in PHP array syntax as real clients do) and the response
// Moodle gives, worked out from Moodle's source (the file is named in each fixture's "source").
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../src/log.js';
import { encodePhpQuery } from '../src/moodle/php-query.js';
import { type RunningSandbox, startSandbox } from '../src/sandbox.js';

interface Call {
  wsfunction: string | null;
  params: Record<string, unknown>;
  token?: string;
}
interface Fixture {
  name: string;
  source: string;
  config?: Record<string, unknown>;
  tokens?: { token: string; functions: string[] }[];
  courses?: Record<string, unknown>[];
  setup?: Call[];
  request: Call;
  expected: unknown;
  match?: 'exact' | 'subset';
  after?: Call & { expected: unknown };
}

const dir = join(import.meta.dirname, '..', 'fixtures', 'moodle');
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture);

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ ephemeral: true, graph: false, log: silentLogger, env: {} });
});
afterAll(() => sandbox?.close());

async function call(c: Call): Promise<{ status: number; contentType: string | null; body: unknown }> {
  const form = encodePhpQuery({
    wstoken: c.token ?? 'sandbox-moodle-token',
    ...(c.wsfunction ? { wsfunction: c.wsfunction } : {}),
    moodlewsrestformat: 'json',
    ...c.params,
  });
  const res = await fetch(`${sandbox.urls.moodle}/webservice/rest/server.php`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  return { status: res.status, contentType: res.headers.get('content-type'), body: JSON.parse(await res.text()) };
}

async function admin(path: string, method: string, body?: unknown) {
  const res = await fetch(`${sandbox.urls.admin}/_admin/moodle${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
}

describe('Moodle WS fixtures', () => {
  it('has fixtures to replay', () => expect(fixtures.length).toBeGreaterThan(30));

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    await admin('/reset', 'POST');
    await admin('/config', 'PUT', { debug: 'normal', exceptionNaming: 'namespaced', ...f.config });
    for (const t of f.tokens ?? []) await admin('/tokens', 'PUT', t);
    for (const c of f.courses ?? []) await admin('/courses', 'POST', c);
    for (const s of f.setup ?? []) {
      const r = await call(s);
      expect(r.body === null || !(typeof r.body === 'object' && 'exception' in (r.body as object))).toBe(true);
    }
    const res = await call(f.request);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json');
    if (f.match === 'subset') expect(res.body).toMatchObject(f.expected as object);
    else expect(res.body).toEqual(f.expected);
    if (f.after && f.match === 'subset') expect((await call(f.after)).body).toMatchObject(f.after.expected as object);
    else if (f.after) expect((await call(f.after)).body).toEqual(f.after.expected);
  });
});
