// The OneRoster 1.1 REST binding (IMS OneRoster 1.1, REST binding: base path /ims/oneroster/v1p1, the
// rostering read endpoints, JSON envelopes named after the collection — {"users": [...]}, {"user": {...}}):
//   GET /users, /users/{id}, /students, /students/{id}, /teachers, /teachers/{id}, /orgs, /orgs/{id},
//   /schools, /academicSessions, /academicSessions/{id}, /courses, /courses/{id}, /classes,
//   /classes/{id}, /enrollments, /enrollments/{id}
// Reads of collections take limit/offset, filter, sort/orderBy and fields (oneroster.query.ts). An
// unknown sourcedId is 404 unknownobject; a request without valid credentials 401 unauthorisedrequest
// (oneroster.auth.ts); other methods 405. POST /token is the OAuth 2 token endpoint (oauth2.ts).
import express, { type Request, type Response } from 'express';
import type { SandboxContext } from '../context.js';
import { sendDown } from '../fault-responses.js';
import { sleep } from '../faults/index.js';
import { readBody } from '../http.js';
import type { Logger } from '../log.js';
import { authenticate, requestUrl } from './oneroster.auth.js';
import { sendStatus } from './oneroster.errors.js';
import type { Collection } from './oneroster.model.js';
import { type Item, QueryError, applyFilter, applySort, linkHeader, parseQuery, select } from './oneroster.query.js';
import type { OneRosterStore } from './oneroster.store.js';

export const BASE = '/ims/oneroster/v1p1';

interface Endpoint {
  path: string;
  collection: Collection;
  /** The single object's envelope name. */
  one: string;
  keep?: (i: Item) => boolean;
}

const ENDPOINTS: Endpoint[] = [
  { path: 'users', collection: 'users', one: 'user' },
  { path: 'students', collection: 'users', one: 'user', keep: (i) => i.role === 'student' },
  { path: 'teachers', collection: 'users', one: 'user', keep: (i) => i.role === 'teacher' },
  { path: 'orgs', collection: 'orgs', one: 'org' },
  { path: 'schools', collection: 'orgs', one: 'org', keep: (i) => i.type === 'school' },
  { path: 'academicSessions', collection: 'academicSessions', one: 'academicSession' },
  { path: 'courses', collection: 'courses', one: 'course' },
  { path: 'classes', collection: 'classes', one: 'class' },
  { path: 'enrollments', collection: 'enrollments', one: 'enrollment' },
];

/** Fields a collection may have even when no object of it carries them now (optional ones: email). */
const FIELDS: Record<Collection, string[]> = {
  users: ['sourcedId', 'status', 'dateLastModified', 'email', 'role', 'username', 'givenName', 'familyName'],
  orgs: ['sourcedId', 'status', 'dateLastModified'],
  academicSessions: ['sourcedId', 'status', 'dateLastModified'],
  courses: ['sourcedId', 'status', 'dateLastModified'],
  classes: ['sourcedId', 'status', 'dateLastModified'],
  enrollments: ['sourcedId', 'status', 'dateLastModified'],
};

export function oneRosterRouter(ctx: SandboxContext, store: OneRosterStore, log: Logger): express.Router {
  const r = express.Router();

  r.post('/token', (req, res, next) => {
    (async () => {
      const form = new URLSearchParams(await readBody(req, 64 * 1024));
      const { clientId: id, clientSecret: secret, tokenTtlSeconds: ttlSeconds } = store.config;
      const answer = store.tokens.issue(form, req.headers.authorization, { id, secret, ttlSeconds });
      if (answer.status === 401) res.set('WWW-Authenticate', 'Basic realm="oneroster"');
      res.status(answer.status).set('Cache-Control', 'no-store').json(answer.body);
      ctx.counters.record('oneroster', '/token', answer.status);
    })().catch(next);
  });

  for (const ep of ENDPOINTS) {
    r.all(`${BASE}/${ep.path}`, (req, res, next) => serve(ep, undefined, req, res).catch(next));
    r.all(`${BASE}/${ep.path}/:sourcedId`, (req, res, next) => serve(ep, req.params.sourcedId, req, res).catch(next));
  }

  async function serve(ep: Endpoint, id: string | undefined, req: Request, res: Response): Promise<void> {
    const done = () => {
      ctx.counters.record('oneroster', `${BASE}/${ep.path}${id ? '/{id}' : ''}`, res.statusCode);
      const query = Object.fromEntries(new URL(req.originalUrl, 'http://x').searchParams);
      store.record({ method: req.method, path: req.path, query, status: res.statusCode });
    };
    const decision = ctx.faults.decide('oneroster');
    if (decision.delayMs) await sleep(decision.delayMs);
    if (decision.kind === 'down') return void (sendDown(res), done());
    if (decision.kind === 'error5xx')
      return void (sendStatus(res, 500, 'internal_server_error', 'The service failed to answer.'), done());
    if (decision.kind === 'throttle') {
      // 429 with Retry-After (RFC 6585 §4); the REST binding's code minor for it is server_busy.
      res.set('Retry-After', String(Math.ceil(decision.retryAfterSeconds)));
      return void (sendStatus(res, 429, 'server_busy', 'Too many requests; retry later.'), done());
    }
    const refused = authenticate(req, store);
    if (refused) {
      res.set('WWW-Authenticate', refused.challenge);
      return void (sendStatus(res, 401, 'unauthorisedrequest', refused.reason), done());
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.set('Allow', 'GET, HEAD');
      return void (sendStatus(res, 405, 'invaliddata', `Method ${req.method} is not supported.`), done());
    }
    const all = (store.roster[ep.collection] as unknown as Item[]).filter((i) => !ep.keep || ep.keep(i));
    if (id !== undefined) {
      const one = all.find((i) => i.sourcedId === id);
      if (!one) return void (sendStatus(res, 404, 'unknownobject', `No ${ep.one} with sourcedId '${id}'.`), done());
      res.json({ [ep.one]: one });
      return done();
    }
    const url = requestUrl(req);
    const fieldsOf = new Set(all.flatMap((i) => Object.keys(i)).concat(FIELDS[ep.collection]));
    try {
      const q = parseQuery(url.searchParams, fieldsOf, store.config.maxLimit, store.config.nestedFilterFields);
      let items = q.filter ? applyFilter(all, q.filter) : all;
      if (q.sort) items = applySort(items, q.sort.field, q.sort.order);
      const page = items.slice(q.offset, q.offset + q.limit).map((i) => (q.fields ? select(i, q.fields) : i));
      res.set('X-Total-Count', String(items.length));
      res.set('Link', linkHeader(url, items.length, q.limit, q.offset));
      res.json({ [ep.collection]: page });
      log('info', 'oneroster read', { endpoint: ep.path, offset: q.offset, count: page.length, total: items.length });
    } catch (e) {
      if (!(e instanceof QueryError)) throw e;
      sendStatus(res, 400, e.codeMinor, e.message);
    }
    done();
  }

  return r;
}
