// GET /users/delta: user change tracking (learn.microsoft.com/graph/api/user-delta,
// learn.microsoft.com/graph/delta-query-users, learn.microsoft.com/graph/delta-query-overview).
// Also /users/microsoft.graph.delta(), the fully qualified name the SDKs send.
//
// A round is one or more pages: @odata.nextLink ($skiptoken) until the last page, which carries
// @odata.deltaLink ($deltatoken). The first round lists every user that exists; a round started from a
// deltaLink lists each user changed since, once, as it is now, and removed ones as
// {"id", "@removed": {"reason": "changed"}} (deleted, restorable from deletedItems) or
// {"reason": "deleted"} (permanently deleted) (delta-query-users, "Initial response").
import { GraphError, graphErrors } from './errors.js';
import type { UserChange } from './delta-journal.js';
import {
  decodeDeltaToken,
  decodeSkipToken,
  encodeDeltaToken,
  encodeSkipToken,
  type DeltaQuery,
  type SkipTokenState,
} from './delta-tokens.js';
import { parseSelect } from './odata.js';
import type { GraphRequest, GraphResponse, Route, RouteContext } from './router.js';
import type { GraphStore, UserRecord } from './store.js';
import { DEFAULT_USER_SELECT } from './user-rules.js';
import { selectSuffix, userProperties } from './user-view.js';

const READ = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

/**
 * Users per page, by default and at most: "200 for objects, such as users … the same number is returned
 * if odata.maxpagesize is not set … Even if a higher value is specified, the API will cap the page size"
 * (Microsoft Q&A, contact: delta API maxpagesize, accepted staff answer, 2025-05-19; users/delta pages of
 * "200 or fewer records" observed in Q&A 5875141, 2026-04-29). Smaller pages with Prefer: odata.maxpagesize=N.
 */
export const DELTA_MAX_PAGE_SIZE = 200;

/** "There's a limit of 50 filtered objects" (user-delta, "OData query parameters"). */
const MAX_FILTER_IDS = 50;

/**
 * Query options users/delta does not take: "$expand is not supported. $top is not supported. $orderby is
 * not supported." (delta-query-overview, "Optional query parameters", user and group resources).
 */
const UNSUPPORTED = ['$expand', '$top', '$orderby', '$count', '$search', '$skip'];

export const deltaRoutes: Route[] = [
  {
    method: 'GET',
    template: '/users/delta',
    patterns: ['/users/delta', '/users/microsoft.graph.delta()', '/users/microsoft.graph.delta'],
    roles: READ,
    handle: usersDelta,
  },
];

function usersDelta({ req, store }: RouteContext): GraphResponse {
  const journal = store.journal;
  // Deleted users past retention become permanently deleted now, so this round reports them.
  store.purgeExpired();
  const now = Date.now();
  const skip = param(req, '$skiptoken');
  const delta = param(req, '$deltatoken');
  let round: SkipTokenState;
  if (skip !== null) {
    round = decodeSkipToken(skip);
    checkUsable(round, store, req, now);
  } else if (delta !== null && delta !== '') {
    if (delta.toLowerCase() === 'latest') {
      // "Sync from now": "Append $deltaToken=latest to the delta function and the response will contain
      // a @odata.deltaLink and no resource data" (delta-query-overview, note under the call pattern).
      const query = parseQuery(req);
      const token = encodeDeltaToken({ gen: journal.generation, issuedAt: now, seq: journal.head, ...query });
      return answer(req, query.select, [], { deltaLink: token });
    }
    const d = decodeDeltaToken(delta);
    checkUsable(d, store, req, now);
    round = { gen: d.gen, issuedAt: now, from: d.seq, to: journal.head, cursor: null, select: d.select, ids: d.ids };
  } else {
    // The initial request, or the Location of a 410 (the initial query with an empty $deltatoken).
    round = { gen: journal.generation, issuedAt: now, from: null, to: journal.head, cursor: null, ...parseQuery(req) };
  }

  const prefer = preferences(req.headers.prefer);
  const size = prefer.maxPageSize ?? DELTA_MAX_PAGE_SIZE;
  const { items, cursor } =
    round.from === null ? firstRoundPage(store, round, size) : changesPage(store, round, size, prefer.minimal);
  if (cursor !== null) return answer(req, round.select, items, { nextLink: encodeSkipToken({ ...round, cursor }) });
  const next = encodeDeltaToken({ gen: round.gen, issuedAt: now, seq: round.to, select: round.select, ids: round.ids });
  return answer(req, round.select, items, { deltaLink: next });
}

/** Every user that exists, by id: "The initial request … will return the resources that currently exist". */
function firstRoundPage(store: GraphStore, round: SkipTokenState, size: number) {
  const ids = round.ids && new Set(round.ids.map((i) => i.toLowerCase()));
  const after = typeof round.cursor === 'string' ? round.cursor : '';
  const users = store
    .listUsers()
    .filter((u) => u.id > after && (!ids || ids.has(u.id)))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const page = users.slice(0, size);
  return {
    items: page.map((u) => view(u, round.select)),
    cursor: users.length > size ? page[page.length - 1].id : null,
  };
}

/** The users changed in (from, to], in the order of their last change, from the cursor on. */
function changesPage(store: GraphStore, round: SkipTokenState, size: number, minimal: boolean) {
  const ids = round.ids && new Set(round.ids.map((i) => i.toLowerCase()));
  const after = typeof round.cursor === 'number' ? round.cursor : -1;
  const changes = store.journal
    .between(round.from ?? 0, round.to)
    .filter((c) => c.seq > after && (!ids || ids.has(c.id)));
  const items: Record<string, unknown>[] = [];
  let last = after;
  for (const c of changes) {
    if (items.length === size) return { items, cursor: last };
    last = c.seq;
    const item = changed(store.userById(c.id), c, round.select, minimal);
    if (item) items.push(item);
  }
  return { items, cursor: null };
}

function changed(
  u: UserRecord | undefined,
  c: UserChange,
  select: string[] | undefined,
  minimal: boolean,
): Record<string, unknown> | undefined {
  // "changed indicates the item was deleted and can be restored from deletedItems. deleted indicates
  // the item is deleted and cannot be restored." (delta-query-overview, "Resource representation").
  if (!u || u.state === 'purged') return { id: c.id, '@removed': { reason: 'deleted' } };
  if (u.state === 'deleted') return { id: c.id, '@removed': { reason: 'changed' } };
  // Created or restored ("When the user is created, or restored from the deleted items container,
  // there's no annotation"): shown whole.
  if (c.appeared) return view(u, select);
  // "If a $select query parameter is used … If a change occurs to a property that is not selected, the
  // resource for which that property changed does not appear in the delta response" (overview); without
  // $select "all properties of the object are tracked for changes" (delta-query-users).
  const tracked = new Set([...c.props].filter((p) => p !== 'passwordProfile' && (!select || select.includes(p))));
  if (select && tracked.size === 0) return undefined;
  if (!minimal) return view(u, select, tracked);
  // Prefer: return=minimal: "If the property has not changed, the property is not included in the
  // response at all"; changed ones are, "This includes properties being set to null value" (user-delta).
  const all = userProperties(u);
  const out: Record<string, unknown> = {};
  for (const p of tracked) out[p] = all[p] ?? null;
  out.id = u.id;
  return out;
}

/**
 * A user with the round's properties. By default a delta answer has "the same properties as selected in
 * the initial delta query … If the property has never been set before it will not be included in the
 * response at all", while a property changed to null is (user-delta, "Default: return the same
 * properties as initial delta request"). A null value stands for "never set" here. "The id property is
 * always returned."
 */
function view(u: UserRecord, select: string[] | undefined, changedProps?: Set<string>): Record<string, unknown> {
  const all = userProperties(u);
  const out: Record<string, unknown> = {};
  for (const p of select ?? DEFAULT_USER_SELECT) {
    const v = all[p];
    if (v !== null && v !== undefined) out[p] = v;
    else if (changedProps?.has(p)) out[p] = null;
  }
  out.id = u.id;
  return out;
}

function answer(
  req: GraphRequest,
  select: string[] | undefined,
  value: unknown[],
  link: { nextLink: string } | { deltaLink: string },
): GraphResponse {
  const body: Record<string, unknown> = { '@odata.context': `${req.base}/$metadata#users${selectSuffix(select)}` };
  // "A page can't contain both @odata.deltaLink and @odata.nextLink" (delta-query-overview).
  if ('nextLink' in link) body['@odata.nextLink'] = `${req.base}/users/delta?$skiptoken=${link.nextLink}`;
  else body['@odata.deltaLink'] = `${req.base}/users/delta?$deltatoken=${link.deltaLink}`;
  body.value = value;
  return { status: 200, body };
}

/**
 * A link the service no longer honours. A tenant reset (or a token from another one) and a link older
 * than deltaTokenLifetimeSeconds (directory objects: seven days) answer "a BadRequest response with the
 * error code syncStateNotFound and the following error message: The sync state generation is not found.
 * The delta token is expired and data must be synchronized again." (Microsoft 365 Developer Blog,
 * "Duration of change tracking tokens for identity and education resources", 2020-07-03; the same code
 * and text in learn.microsoft.com/graph/errors). The resync knob answers what "Synchronization reset"
 * describes: "410 (gone) and a Location header containing a request URL with an empty $deltaToken (same
 * as the initial query)"; its body uses errors' resyncRequired code.
 */
function checkUsable(
  t: { gen: number; issuedAt: number } & DeltaQuery,
  store: GraphStore,
  req: GraphRequest,
  now: number,
): void {
  const cfg = store.config;
  if (t.gen !== store.journal.generation || now - t.issuedAt > cfg.deltaTokenLifetimeSeconds * 1000)
    throw new GraphError(
      400,
      'syncStateNotFound',
      'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
    );
  if (t.issuedAt < cfg.deltaResyncBefore) {
    const initial = new URLSearchParams();
    if (t.select) initial.set('$select', t.select.join(','));
    if (t.ids) initial.set('$filter', t.ids.map((id) => `id eq '${id}'`).join(' or '));
    initial.set('$deltatoken', '');
    throw new GraphError(
      410,
      'resyncRequired',
      'The delta token is no longer valid, and the app must reset the sync state.',
      undefined,
      { Location: `${req.base}/users/delta?${initial.toString().replace(/%24/g, '$').replace(/%2C/g, ',')}` },
    );
  }
}

/** The options of an initial request, which the tokens then carry ("specify it in the initial delta request"). */
function parseQuery(req: GraphRequest): DeltaQuery {
  for (const name of UNSUPPORTED)
    if (param(req, name) !== null)
      // Not confirmed against the live service: the code Graph uses for other unsupported query options.
      throw new GraphError(400, 'Request_UnsupportedQuery', `The query option '${name}' is not supported with delta.`);
  const select = parseSelect(param(req, '$select'));
  const filter = param(req, '$filter');
  return { ...(select ? { select } : {}), ...(filter !== null ? { ids: parseIdFilter(filter) } : {}) };
}

/**
 * "The only supported $filter expression is for tracking changes on a specific object: $filter=id eq
 * {value}. You can filter multiple objects" with or (user-delta, "OData query parameters").
 */
function parseIdFilter(raw: string): string[] {
  const ids = raw.split(/\s+or\s+/i).map((clause) => {
    const m = /^\s*\(?\s*([A-Za-z]+)\s+eq\s+'([^']*)'\s*\)?\s*$/i.exec(clause);
    if (!m) throw graphErrors.badFilter(raw);
    if (m[1].toLowerCase() !== 'id') throw graphErrors.unsupportedFilter(m[1]);
    return m[2].toLowerCase();
  });
  if (ids.length > MAX_FILTER_IDS)
    // Not confirmed against the live service: wording chosen for the documented limit.
    throw new GraphError(400, 'Request_BadRequest', `The $filter may name at most ${MAX_FILTER_IDS} objects.`);
  return ids;
}

/** A query option by name, case-insensitively ($deltaToken=latest in the docs, $deltatoken in the links). */
function param(req: GraphRequest, name: string): string | null {
  for (const [k, v] of req.query) if (k.toLowerCase() === name) return v;
  return null;
}

/** Prefer: odata.maxpagesize=N (capped at 200) and return=minimal, in any order. */
function preferences(header: string | undefined): { maxPageSize?: number; minimal: boolean } {
  let maxPageSize: number | undefined;
  let minimal = false;
  for (const part of (header ?? '').split(',')) {
    const [k, v] = part
      .trim()
      .split('=')
      .map((x) => x.trim().toLowerCase());
    if (k === 'odata.maxpagesize' && /^\d+$/.test(v ?? '') && Number(v) >= 1)
      maxPageSize = Math.min(Number(v), DELTA_MAX_PAGE_SIZE);
    if (k === 'return' && v === 'minimal') minimal = true;
  }
  return { maxPageSize, minimal };
}
