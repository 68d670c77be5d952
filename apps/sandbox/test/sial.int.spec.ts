// The SIAL stand-in over HTTP: Basic auth, DRF pagination, advance between pulls, faults.
import { silentLogger } from '../src/log.js';
import { type RunningSandbox, startSandbox } from '../src/sandbox.js';

let sandbox: RunningSandbox;
const auth = { authorization: `Basic ${Buffer.from('lucy:sandbox-sial-password').toString('base64')}` };

beforeAll(async () => {
  sandbox = await startSandbox({
    ephemeral: true,
    graph: false,
    log: silentLogger,
    env: {},
    sial: { size: 60, pageSize: 10 },
  });
});
beforeEach(async () => {
  await fetch(`${sandbox.urls.admin}/_admin/sial/reset`, { method: 'POST' });
  await fetch(`${sandbox.urls.admin}/_admin/faults/reset`, { method: 'POST' });
});
afterAll(() => sandbox?.close());

const get = (path: string, headers: Record<string, string> = auth) =>
  fetch(`${sandbox.urls.sial}${path}`, { headers, redirect: 'manual' });

describe('SIAL stand-in', () => {
  it('refuses requests without or with wrong Basic credentials, as DRF does', async () => {
    const none = await get('/v1/api/aspirantes/', {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="api"');
    expect((await none.json()) as any).toEqual({ detail: 'Authentication credentials were not provided.' });
    const bad = await get('/v1/api/aspirantes/', {
      authorization: `Basic ${Buffer.from('lucy:nope').toString('base64')}`,
    });
    expect(bad.status).toBe(401);
    expect((await bad.json()) as any).toEqual({ detail: 'Invalid username/password.' });
  });

  it('pages like PageNumberPagination, with absolute next/previous links', async () => {
    const p1 = (await (await get('/v1/api/preinscriptos/')).json()) as any;
    expect(p1.results).toHaveLength(10);
    expect(p1.previous).toBeNull();
    expect(p1.next).toBe(`${sandbox.urls.sial}/v1/api/preinscriptos/?page=2`);
    const p2 = (await (await get('/v1/api/preinscriptos/?page=2&page_size=5')).json()) as any;
    expect(p2.results).toHaveLength(5);
    // The link back to page 1 drops the page parameter.
    expect(p2.previous).toBe(`${sandbox.urls.sial}/v1/api/preinscriptos/?page_size=5`);
    let url: string | null = `${sandbox.urls.sial}/v1/api/aspirantes/?page_size=7`;
    const seen: unknown[] = [];
    while (url) {
      const page = (await (await fetch(url, { headers: auth })).json()) as {
        next: string | null;
        results: unknown[];
        count: number;
      };
      seen.push(...page.results);
      url = page.next;
    }
    expect(seen).toHaveLength(sandbox.sial.cohort().aspirantes.length);
  });

  it('answers 404 Invalid page. past the end or for a bad page, and redirects without slash', async () => {
    const far = await get('/v1/api/ingresantes/?page=999');
    expect(far.status).toBe(404);
    expect((await far.json()) as any).toEqual({ detail: 'Invalid page.' });
    expect((await get('/v1/api/ingresantes/?page=abc')).status).toBe(404);
    const noSlash = await get('/v1/api/ingresantes?page=1');
    expect(noSlash.status).toBe(301);
    expect(noSlash.headers.get('location')).toBe('/v1/api/ingresantes/?page=1');
  });

  it('returns the records changed after "advance"', async () => {
    const before = (await (await get('/v1/api/ingresantes/?page_size=1000')).json()) as any;
    const adv = await fetch(`${sandbox.urls.admin}/_admin/sial/advance`, { method: 'POST' });
    expect((await adv.json()) as any).toEqual({ revision: 1 });
    const after = (await (await get('/v1/api/ingresantes/?page_size=1000')).json()) as any;
    expect(after.count).toBe(before.count + 1);
    expect(JSON.stringify(after.results)).not.toBe(JSON.stringify(before.results));
  });

  it('can serve a bare list, like the system the seed describes', async () => {
    await fetch(`${sandbox.urls.admin}/_admin/sial/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paginated: false, size: 12 }),
    });
    const list = (await (await get('/v1/api/aspirantes/')).json()) as any;
    expect(Array.isArray(list)).toBe(true);
    expect(list[0]).toHaveProperty('dni');
  });

  it('answers faults like the web server in front would, and counts requests', async () => {
    await fetch(`${sandbox.urls.admin}/_admin/faults/sial`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ burst429: 1, retryAfterSeconds: 2 }),
    });
    const throttled = await get('/v1/api/aspirantes/');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    await fetch(`${sandbox.urls.admin}/_admin/faults/sial`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ downForMs: 60_000 }),
    });
    expect((await get('/v1/api/aspirantes/')).status).toBe(503);
    const counters = (await (await fetch(`${sandbox.urls.admin}/_admin/counters?target=sial`)).json()) as any;
    expect(counters.rows).toEqual(
      expect.arrayContaining([expect.objectContaining({ endpoint: '/v1/api/aspirantes/', status: 429, count: 1 })]),
    );
  });
});
