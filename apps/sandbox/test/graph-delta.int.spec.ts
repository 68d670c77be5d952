// GET /users/delta over HTTPS with a real token: links that lead back to the stand-in, the SDKs'
// fully qualified name, Graph's error envelope for a link it no longer honours (400 syncStateNotFound,
// 410 + Location), and reads that count against the tenant's resource units like any GET.
import { startHarness, type Harness } from './graph-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.store.reset();
  h.standIn.service.throttler.reset();
  h.ctx.faults.reset('graph');
  h.ctx.counters.reset('graph');
});

/** A link the service gave, as a path below /v1.0 for h.api (it must point at the stand-in itself). */
function below(link: string): string {
  expect(link.startsWith(`${h.standIn.graphUrl}/users/delta?`)).toBe(true);
  return link.slice(h.standIn.graphUrl.length);
}

async function round(path: string, headers: Record<string, string> = {}) {
  const items: any[] = [];
  let pages = 0;
  for (let next: string | undefined = path; ;) {
    const a = await h.api('GET', next, undefined, headers);
    expect(a.status).toBe(200);
    pages++;
    items.push(...a.body.value);
    if (a.body['@odata.deltaLink']) return { items, pages, deltaLink: below(a.body['@odata.deltaLink']) };
    next = below(a.body['@odata.nextLink']);
  }
}

describe('Graph users/delta', () => {
  it('pages the first round through nextLinks, then reports changes through the deltaLink', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.api('POST', '/users', h.newUser())).body.id);
    const first = await round('/users/delta?$select=displayName,accountEnabled', { Prefer: 'odata.maxpagesize=2' });
    expect(first.pages).toBe(3);
    expect(first.items.map((u) => u.id).sort()).toEqual([...ids].sort());

    expect((await h.api('PATCH', `/users/${ids[0]}`, { accountEnabled: false })).status).toBe(204);
    expect((await h.api('DELETE', `/users/${ids[1]}`)).status).toBe(204);
    expect((await h.api('DELETE', `/directory/deletedItems/${ids[1]}`)).status).toBe(204);
    expect((await h.api('DELETE', `/users/${ids[2]}`)).status).toBe(204);
    const second = await round(first.deltaLink);
    expect(second.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: ids[0], accountEnabled: false }),
        { id: ids[1], '@removed': { reason: 'deleted' } },
        { id: ids[2], '@removed': { reason: 'changed' } },
      ]),
    );
    expect(second.items).toHaveLength(3);
    expect(h.ctx.counters.total('graph', { endpoint: 'GET /users/delta', status: 200 })).toBe(4);
  });

  it('answers the fully qualified name the SDKs use, with the same headers as any read', async () => {
    await h.api('POST', '/users', h.newUser());
    const a = await h.api('GET', '/users/microsoft.graph.delta()', undefined, { 'client-request-id': 'delta-1' });
    expect(a.status).toBe(200);
    expect(a.body['@odata.context']).toBe(`${h.standIn.graphUrl}/$metadata#users`);
    expect(a.body.value).toHaveLength(1);
    expect(a.headers.get('client-request-id')).toBe('delta-1');
    expect(a.headers.get('x-ms-resource-unit')).toBe('1');
  });

  it("refuses an expired link with Graph's 400 syncStateNotFound envelope", async () => {
    const { deltaLink } = await round('/users/delta');
    h.store.configure({ deltaTokenLifetimeSeconds: 0 });
    try {
      await new Promise((r) => setTimeout(r, 5));
      const a = await h.api('GET', deltaLink);
      expect(a.status).toBe(400);
      expect(a.body.error).toMatchObject({
        code: 'syncStateNotFound',
        message:
          'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
        innerError: { 'request-id': a.headers.get('request-id') },
      });
    } finally {
      h.store.configure({ deltaTokenLifetimeSeconds: 7 * 86_400 });
    }
  });

  it('answers 410 Gone with a Location that starts a full round, after a synchronization reset', async () => {
    const id = (await h.api('POST', '/users', h.newUser())).body.id;
    const { deltaLink } = await round('/users/delta?$select=displayName');
    h.store.configure({ deltaResyncBefore: Date.now() + 1 });
    try {
      const gone = await h.api('GET', deltaLink);
      expect(gone.status).toBe(410);
      expect(gone.body.error.code).toBe('resyncRequired');
      const location = gone.headers.get('location')!;
      expect(location).toBe(`${h.standIn.graphUrl}/users/delta?$select=displayName&$deltatoken=`);
      const again = await round(below(location));
      expect(again.items).toEqual([{ displayName: expect.any(String), id }]);
    } finally {
      h.store.configure({ deltaResyncBefore: 0 });
    }
  });

  it('counts every page against the resource units: 429 when the bucket is empty', async () => {
    for (let i = 0; i < 3; i++) await h.api('POST', '/users', h.newUser());
    h.store.configure({
      throttle: { resourceUnits: { small: 2, medium: 2, large: 2 }, resourceUnitWindowSeconds: 60 },
    });
    try {
      // Prefer is a request header, not part of the link: every page asks for it.
      const prefer = { Prefer: 'odata.maxpagesize=1' };
      const one = await h.api('GET', '/users/delta', undefined, prefer);
      expect(one.status).toBe(200);
      const two = await h.api('GET', below(one.body['@odata.nextLink']), undefined, prefer);
      expect(two.status).toBe(200);
      const three = await h.api('GET', below(two.body['@odata.nextLink']), undefined, prefer);
      expect(three.status).toBe(429);
      expect(three.body.error.code).toBe('TooManyRequests');
      expect(Number(three.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(h.ctx.counters.total('graph', { endpoint: 'GET /users/delta', status: 429 })).toBe(1);
    } finally {
      h.store.configure({
        throttle: { resourceUnits: { small: 3500, medium: 5000, large: 8000 }, resourceUnitWindowSeconds: 10 },
      });
    }
  });
});
