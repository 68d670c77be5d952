// users/delta on the store alone (no HTTP): paging, what a deltaLink round reports, tokens.
import { defaultGraphConfig } from './config.js';
import { GraphError } from './errors.js';
import { deltaRoutes } from './delta.routes.js';
import type { GraphRequest } from './router.js';
import { GraphStore } from './store.js';

const BASE = 'https://graph.test/v1.0';
let store: GraphStore;
let n = 0;

beforeEach(() => {
  store = new GraphStore(defaultGraphConfig({}));
});

function addUser(over: Record<string, unknown> = {}) {
  n++;
  return store.createUser({
    accountEnabled: true,
    displayName: `Alumno ${n}`,
    mailNickname: `alumno${n}`,
    userPrincipalName: `alumno${n}@estudiantes.unrc.edu.ar`,
    passwordProfile: { password: 'Temporal-2024!' },
    ...over,
  });
}

/** GET on a full URL (a nextLink or deltaLink as the service gave it, or a path below /v1.0). */
function get(url: string, headers: Record<string, string> = {}): any {
  const u = new URL(url.startsWith('http') ? url : `${BASE}${url}`);
  const req: GraphRequest = {
    method: 'GET',
    segments: u.pathname.split('/').filter(Boolean).slice(1),
    query: u.searchParams,
    headers,
    body: undefined,
    base: BASE,
  };
  return deltaRoutes[0].handle({ req, params: {}, store }).body;
}

function fails(url: string): GraphError {
  try {
    get(url);
  } catch (e) {
    if (e instanceof GraphError) return e;
    throw e;
  }
  throw new Error(`${url} did not fail`);
}

/** Follows nextLinks to the end of the round: every item, the pages' sizes, the deltaLink. */
function round(url: string, headers: Record<string, string> = {}) {
  const items: any[] = [];
  const sizes: number[] = [];
  let page = get(url, headers);
  for (;;) {
    items.push(...page.value);
    sizes.push(page.value.length);
    if (!page['@odata.nextLink']) break;
    expect(page['@odata.deltaLink']).toBeUndefined();
    page = get(page['@odata.nextLink'], headers);
  }
  return { items, sizes, deltaLink: page['@odata.deltaLink'] as string };
}

describe('users/delta', () => {
  it('hands out every user once in the first round, 200 to a page by default and at most, then a deltaLink', () => {
    for (let i = 0; i < 205; i++) addUser();
    const r = round('/users/delta');
    expect(r.sizes).toEqual([200, 5]);
    expect(new Set(r.items.map((u) => u.id)).size).toBe(205);
    expect(r.deltaLink).toMatch(/^https:\/\/graph\.test\/v1\.0\/users\/delta\?\$deltatoken=[\w-]+$/);
    expect(round('/users/delta', { prefer: 'odata.maxpagesize=999' }).sizes).toEqual([200, 5]);
  });

  it('pages by Prefer: odata.maxpagesize', () => {
    for (let i = 0; i < 5; i++) addUser();
    expect(round('/users/delta', { prefer: 'odata.maxpagesize=2' }).sizes).toEqual([2, 2, 1]);
    expect(round('/users/delta', { prefer: 'return=minimal, odata.maxpagesize=4' }).sizes).toEqual([4, 1]);
  });

  it('leaves out properties never set, and always gives the id', () => {
    const u = addUser({ givenName: 'Ana' });
    const [item] = round('/users/delta').items;
    expect(item).toEqual({
      businessPhones: [],
      displayName: u.props.displayName,
      givenName: 'Ana',
      userPrincipalName: u.props.userPrincipalName,
      id: u.id,
    });
  });

  it('reports, after a deltaLink, only what changed: created, updated, soft- and hard-deleted, restored', () => {
    const [kept, edited, softDeleted, purged, restored] = [addUser(), addUser(), addUser(), addUser(), addUser()];
    store.deleteUser(restored.id);
    const first = round('/users/delta');
    expect(first.items.map((u) => u.id).sort()).toEqual([kept, edited, softDeleted, purged].map((u) => u.id).sort());

    const created = addUser();
    store.updateUser(edited.id, { surname: 'Núñez' });
    store.deleteUser(softDeleted.id);
    store.deleteUser(purged.id);
    store.purge(purged.id);
    store.restore(restored.id);
    const second = round(first.deltaLink);
    const byId = new Map(second.items.map((u) => [u.id, u]));
    expect(byId.size).toBe(5);
    expect(byId.has(kept.id)).toBe(false);
    expect(byId.get(created.id)).toMatchObject({ displayName: created.props.displayName });
    expect(byId.get(edited.id)).toMatchObject({ surname: 'Núñez', displayName: edited.props.displayName });
    expect(byId.get(softDeleted.id)).toEqual({ id: softDeleted.id, '@removed': { reason: 'changed' } });
    expect(byId.get(purged.id)).toEqual({ id: purged.id, '@removed': { reason: 'deleted' } });
    expect(byId.get(restored.id)).toMatchObject({ userPrincipalName: restored.props.userPrincipalName });

    // Nothing since: an empty page with a deltaLink.
    expect(round(second.deltaLink)).toMatchObject({ items: [], sizes: [0] });
  });

  it('reports a deleted user whose retention ran out as permanently deleted', () => {
    const u = addUser();
    const { deltaLink } = round('/users/delta');
    store.deleteUser(u.id);
    const { deltaLink: next, items } = round(deltaLink);
    expect(items).toEqual([{ id: u.id, '@removed': { reason: 'changed' } }]);
    store.configure({ deletedItemsRetentionSeconds: 0 });
    expect(round(next).items).toEqual([{ id: u.id, '@removed': { reason: 'deleted' } }]);
  });

  it('pages a deltaLink round too, each changed user once', () => {
    const users = Array.from({ length: 7 }, () => addUser());
    const { deltaLink } = round('/users/delta');
    for (const u of users) store.updateUser(u.id, { department: 'Ingeniería' });
    for (const u of users) store.updateUser(u.id, { jobTitle: 'Alumno' });
    const r = round(deltaLink, { prefer: 'odata.maxpagesize=3' });
    expect(r.sizes).toEqual([3, 3, 1]);
    expect(r.items.map((u) => u.id)).toEqual(users.map((u) => u.id));
  });

  it('tracks only the $select-ed properties, which every link keeps', () => {
    const [a, b] = [addUser(), addUser()];
    const first = round('/users/delta?$select=displayName,accountEnabled', { prefer: 'odata.maxpagesize=1' });
    expect(first.items).toEqual([
      expect.objectContaining({ id: expect.any(String), accountEnabled: true }),
      expect.objectContaining({ id: expect.any(String), accountEnabled: true }),
    ]);
    expect(Object.keys(first.items[0]).sort()).toEqual(['accountEnabled', 'displayName', 'id']);
    store.updateUser(a.id, { department: 'Ingeniería' }); // not selected: a does not show up
    store.updateUser(b.id, { accountEnabled: false });
    const second = round(first.deltaLink);
    expect(second.items).toEqual([{ displayName: b.props.displayName, accountEnabled: false, id: b.id }]);
    expect(get(first.deltaLink)['@odata.context']).toBe(`${BASE}/$metadata#users(displayName,accountEnabled)`);
  });

  it('with Prefer: return=minimal gives only the properties that changed, nulls included', () => {
    const u = addUser({ givenName: 'Ana', department: 'Ingeniería' });
    const { deltaLink } = round('/users/delta?$select=displayName,givenName,department');
    store.updateUser(u.id, { givenName: null, department: 'Económicas' });
    expect(round(deltaLink, { prefer: 'return=minimal' }).items).toEqual([
      { givenName: null, department: 'Económicas', id: u.id },
    ]);
    // By default the same properties as the first round, the one set to null included.
    expect(round(deltaLink).items).toEqual([
      { displayName: u.props.displayName, givenName: null, department: 'Económicas', id: u.id },
    ]);
  });

  it('tracks only the objects a $filter on id names', () => {
    const [a, b] = [addUser(), addUser()];
    const first = round(`/users/delta?$filter=id eq '${a.id}'`);
    expect(first.items.map((u) => u.id)).toEqual([a.id]);
    store.updateUser(a.id, { surname: 'X' });
    store.updateUser(b.id, { surname: 'Y' });
    expect(round(first.deltaLink).items.map((u) => u.id)).toEqual([a.id]);
    expect(fails(`/users/delta?$filter=displayName eq 'x'`)).toMatchObject({
      status: 400,
      code: 'Request_UnsupportedQuery',
    });
  });

  it('$deltatoken=latest: no users, a deltaLink from now on', () => {
    addUser();
    const latest = get('/users/delta?$deltaToken=latest');
    expect(latest.value).toEqual([]);
    const created = addUser();
    expect(round(latest['@odata.deltaLink']).items.map((u) => u.id)).toEqual([created.id]);
  });

  it('refuses an expired or forgotten deltaLink with 400 syncStateNotFound, a garbled one with 400', () => {
    addUser();
    const { deltaLink } = round('/users/delta');
    store.configure({ deltaTokenLifetimeSeconds: 0 });
    const now = Date.now();
    while (Date.now() === now); // the link is now older than zero seconds
    expect(fails(deltaLink)).toMatchObject({
      status: 400,
      code: 'syncStateNotFound',
      message:
        'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
    });
    store.configure({ deltaTokenLifetimeSeconds: 3600 });
    const fresh = round('/users/delta').deltaLink;
    store.reset();
    expect(fails(fresh)).toMatchObject({ status: 400, code: 'syncStateNotFound' });
    expect(fails('/users/delta?$deltatoken=not-a-token')).toMatchObject({ status: 400, code: 'Request_BadRequest' });
    expect(fails('/users/delta?$top=5')).toMatchObject({ status: 400, code: 'Request_UnsupportedQuery' });
  });

  it('answers 410 with a Location to a full sync for links issued before a synchronization reset', () => {
    addUser();
    const { deltaLink } = round('/users/delta?$select=displayName');
    store.configure({ deltaResyncBefore: Date.now() + 1 });
    const e = fails(deltaLink);
    expect(e).toMatchObject({ status: 410, code: 'resyncRequired' });
    expect(e.headers.Location).toBe(`${BASE}/users/delta?$select=displayName&$deltatoken=`);
    const again = round(e.headers.Location);
    expect(again.items).toHaveLength(1);
  });
});
