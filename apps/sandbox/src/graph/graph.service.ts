// Runs one authenticated Graph request through the same steps whether it came alone or inside a
// $batch: route, permission, throttling (per request, so inner batch requests are throttled on their
// own), handler, counters, response headers.
import { randomUUID } from 'node:crypto';
import type { SandboxContext } from '../context.js';
import type { Principal } from './auth.js';
import { errorBody, GraphError, graphErrors } from './errors.js';
import { matchRoute, type GraphRequest, type GraphResponse, type Route } from './router.js';
import type { GraphStore } from './store.js';
import { requestCost, tenantSizeFor, Throttler, type TenantSize } from './throttle.js';

export const ODATA_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export class GraphService {
  readonly throttler = new Throttler();

  constructor(
    readonly store: GraphStore,
    private readonly ctx: SandboxContext,
    private readonly routes: Route[],
  ) {
    store.onReset(() => this.throttler.reset());
  }

  /** The endpoint name used in counters: '<METHOD> <route template>' or the raw path when unrouted. */
  endpointOf(method: string, segments: string[]): string {
    const m = matchRoute(this.routes, method, segments);
    return 'route' in m ? `${method} ${m.route.template}` : `${method} /${segments.join('/')}`;
  }

  tenantSize(): TenantSize {
    const s = this.store.config.tenantSize;
    return s === 'auto' ? tenantSizeFor(this.store.activeUserCount()) : s;
  }

  execute(req: GraphRequest, principal: Principal): GraphResponse {
    const m = matchRoute(this.routes, req.method, req.segments);
    const endpoint = 'route' in m ? `${req.method} ${m.route.template}` : `${req.method} /${req.segments.join('/')}`;
    let res: GraphResponse;
    try {
      if ('error' in m) throw m.error;
      if (!m.route.roles.some((r) => principal.roles.includes(r))) throw graphErrors.forbidden();
      const cost = requestCost(req.method, m.route.template, req.query);
      const verdict = this.throttler.take(
        `${principal.appId}/${principal.tenantId}`,
        cost,
        this.store.config.throttle,
        this.tenantSize(),
      );
      if (!verdict.ok) {
        this.store.noteThrottled();
        throw graphErrors.throttled(verdict.retryAfterSeconds, {
          'x-ms-throttle-scope': `Tenant_Application/${verdict.limit}/${principal.appId}/${principal.tenantId}`,
          'x-ms-throttle-information': verdict.information,
        });
      }
      res = m.route.handle({ req, params: decodeParams(m.params), store: this.store });
      res.headers = {
        ...(res.body !== undefined && !res.headers?.['Content-Type'] ? { 'Content-Type': ODATA_JSON } : {}),
        'OData-Version': '4.0',
        'x-ms-resource-unit': String(cost.ru),
        // Documented: sent only once the application used more than 80% of its limit.
        ...(verdict.ruUsedPercent > 0.8 ? { 'x-ms-throttle-limit-percentage': verdict.ruUsedPercent.toFixed(1) } : {}),
        ...res.headers,
      };
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
      res = this.errorResponse(e, req.headers);
    }
    this.ctx.counters.record('graph', endpoint, res.status);
    return withIds(res, req.headers);
  }

  errorResponse(e: GraphError, headers: Record<string, string>): GraphResponse {
    const requestId = headers['x-sandbox-request-id'] ?? randomUUID();
    const clientRequestId = headers['client-request-id'] || requestId;
    return {
      status: e.status,
      headers: {
        'Content-Type': 'application/json',
        ...e.headers,
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
      body: errorBody(e, requestId, clientRequestId),
    };
  }
}

function decodeParams(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, unquote(v)]));
}

/** Graph also accepts the key in quotes: /users('someone@contoso.com'). */
function unquote(v: string): string {
  const m = /^\('(.*)'\)$/.exec(v) ?? /^'(.*)'$/.exec(v);
  return m ? m[1].replace(/''/g, "'") : v;
}

function withIds(res: GraphResponse, headers: Record<string, string>): GraphResponse {
  const requestId = res.headers?.['request-id'] ?? headers['x-sandbox-request-id'] ?? randomUUID();
  return {
    ...res,
    headers: {
      ...res.headers,
      'request-id': requestId,
      'client-request-id': headers['client-request-id'] || requestId,
    },
  };
}
