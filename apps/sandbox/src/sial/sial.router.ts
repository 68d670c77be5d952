// The SIAL REST API as a Django REST framework service answers it:
//   GET /v1/api/{aspirantes,preinscriptos,ingresantes}/  with HTTP Basic auth
// - no or bad credentials: 401, `WWW-Authenticate: Basic realm="api"`, {"detail": "..."} (BasicAuthentication)
// - PageNumberPagination: ?page=N (1-based, or "last") &page_size=M (capped at max_page_size; invalid → default);
//   {count, next, previous, results}; `next`/`previous` are absolute URLs and the link to page 1 has no
//   page parameter; an out-of-range or non-numeric page is 404 {"detail": "Invalid page."}
// - without the trailing slash: 301 to the slashed URL (Django's APPEND_SLASH)
// - other methods: 405 {"detail": "Method \"POST\" not allowed."}
import express, { type Request, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { SandboxContext } from '../context.js';
import { sendDown, sendError5xx } from '../fault-responses.js';
import { sleep } from '../faults/index.js';
import type { Logger } from '../log.js';
import { SIAL_LISTS, type SialList } from './sial.generator.js';
import type { SialStore } from './sial.store.js';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function checkAuth(req: Request, store: SialStore): 'ok' | 'missing' | 'bad' {
  const h = req.headers.authorization;
  if (!h) return 'missing';
  const [scheme, value] = h.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !value) return 'missing';
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'bad';
  return same(decoded.slice(0, colon), store.config.user) && same(decoded.slice(colon + 1), store.config.password)
    ? 'ok'
    : 'bad';
}

/** A strictly positive integer, as DRF's _positive_int(strict=True); else null. */
const positiveInt = (v: unknown): number | null =>
  typeof v === 'string' && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : null;

function absoluteUrl(req: Request, params: URLSearchParams): string {
  const host = req.headers.host ?? '127.0.0.1';
  const qs = params.toString();
  return `${req.protocol}://${host}${req.path}${qs ? `?${qs}` : ''}`;
}

function drf(res: Response, status: number, body: unknown): void {
  res
    .status(status)
    .set({ Allow: 'GET, HEAD, OPTIONS', Vary: 'Accept', 'X-Frame-Options': 'DENY' })
    .type('application/json')
    .send(JSON.stringify(body));
}

export function sialRouter(ctx: SandboxContext, store: SialStore, log: Logger): express.Router {
  const r = express.Router({ strict: true });

  for (const list of SIAL_LISTS) {
    const path = `/v1/api/${list}/`;
    r.get(path.slice(0, -1), (req, res) => {
      const qs = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      res.redirect(301, `${path}${qs}`);
    });
    r.all(path, (req, res, next) => serve(list, req, res).catch(next));
  }

  async function serve(list: SialList, req: Request, res: Response): Promise<void> {
    const endpoint = `/v1/api/${list}/`;
    const done = () => ctx.counters.record('sial', endpoint, res.statusCode);
    const decision = ctx.faults.decide('sial');
    if (decision.delayMs) await sleep(decision.delayMs);
    if (decision.kind === 'down') return void (sendDown(res), done());
    if (decision.kind === 'error5xx') return void (sendError5xx(res), done());
    if (decision.kind === 'throttle') {
      // DRF's Throttled exception: 429, Retry-After and its standard message.
      res.set('Retry-After', String(Math.ceil(decision.retryAfterSeconds)));
      const s = Math.ceil(decision.retryAfterSeconds);
      return void (
        drf(res, 429, { detail: `Request was throttled. Expected available in ${s} second${s === 1 ? '' : 's'}.` }),
        done()
      );
    }
    const auth = checkAuth(req, store);
    if (auth !== 'ok') {
      res.set('WWW-Authenticate', 'Basic realm="api"');
      drf(res, 401, {
        detail: auth === 'missing' ? 'Authentication credentials were not provided.' : 'Invalid username/password.',
      });
      return done();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      drf(res, 405, { detail: `Method "${req.method}" not allowed.` });
      return done();
    }
    const all = store.cohort()[list];
    const q = req.query as Record<string, unknown>;
    if (!store.config.paginated) {
      store.countPull(list);
      drf(res, 200, all);
      log('info', 'sial pull', { list, count: all.length });
      return done();
    }
    const pageSize = Math.min(positiveInt(q.page_size) ?? store.config.pageSize, store.config.maxPageSize);
    const pages = Math.max(1, Math.ceil(all.length / pageSize));
    const page = q.page === undefined ? 1 : q.page === 'last' ? pages : positiveInt(q.page);
    if (page === null || page > pages) {
      drf(res, 404, { detail: 'Invalid page.' });
      return done();
    }
    if (page === 1) store.countPull(list);
    const params = new URLSearchParams(
      req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '',
    );
    const link = (n: number) => {
      const p = new URLSearchParams(params);
      if (n === 1) p.delete('page');
      else p.set('page', String(n));
      return absoluteUrl(req, p);
    };
    drf(res, 200, {
      count: all.length,
      next: page < pages ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: all.slice((page - 1) * pageSize, page * pageSize),
    });
    log('info', 'sial pull', { list, page, pageSize });
    done();
  }

  return r;
}
