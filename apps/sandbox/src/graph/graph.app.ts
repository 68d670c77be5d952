// The graph.microsoft.com stand-in's HTTP front: fault knobs, version root, JSON body, bearer token,
// then either $batch or a single request through GraphService.
import { randomUUID, type KeyObject } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { SandboxContext } from '../context.js';
import { sleep } from '../faults/index.js';
import { authenticate, challengeHeaders } from './auth.js';
import { runBatch, safeDecode } from './batch.js';
import { GraphError, graphErrors } from './errors.js';
import type { GraphService } from './graph.service.js';
import type { GraphRequest, GraphResponse } from './router.js';

export interface GraphAppDeps {
  ctx: SandboxContext;
  service: GraphService;
  publicKey: KeyObject;
  identityUrl: () => string;
}

// Shown by the live service on every answer; some clients log it.
const DIAGNOSTIC = JSON.stringify({
  ServerInfo: {
    DataCenter: 'Brazil South',
    Slice: 'E',
    Ring: '3',
    ScaleUnit: '000',
    RoleInstance: 'LUCY-SANDBOX',
    ADSiteName: 'BRS',
  },
});

export function graphApp(deps: GraphAppDeps): Express {
  const { ctx, service } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.raw({ type: () => true, limit: '4mb' }));
  let faultSeq = 0;

  app.use(async (req: Request, res: Response) => {
    const requestId = randomUUID();
    const headers = lowerHeaders(req);
    headers['x-sandbox-request-id'] = requestId;
    const url = new URL(req.originalUrl, 'https://x');
    const [version, ...rest] = url.pathname.split('/').filter(Boolean).map(safeDecode);
    const greq: GraphRequest = {
      method: req.method.toUpperCase(),
      segments: rest,
      query: url.searchParams,
      headers,
      body: undefined,
      base: `https://${req.headers.host ?? '127.0.0.1'}/v1.0`,
    };
    const endpoint = () =>
      rest.length === 1 && rest[0] === '$batch' ? `${greq.method} /$batch` : service.endpointOf(greq.method, rest);
    const fail = (e: GraphError, extra: Record<string, string> = {}) => {
      const r = service.errorResponse(e, headers);
      ctx.counters.record('graph', endpoint(), e.status);
      send(res, { ...r, headers: { ...r.headers, ...extra } });
    };

    // Fault knobs first: an outage or overload happens before the service looks at the request.
    const decision = ctx.faults.decide('graph');
    if (decision.delayMs) await sleep(decision.delayMs);
    if (res.destroyed) return;
    if (decision.kind === 'down') return fail(graphErrors.unavailable(ctx.faults.get('graph').retryAfterSeconds));
    if (decision.kind === 'error5xx')
      return fail(faultSeq++ % 2 === 0 ? graphErrors.unavailable() : graphErrors.gatewayTimeout());
    if (decision.kind === 'throttle') return fail(graphErrors.throttled(Math.ceil(decision.retryAfterSeconds)));

    if (version !== 'v1.0') return fail(new GraphError(400, 'BadRequest', `Invalid version: ${version ?? ''}`));
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (raw.length) {
      try {
        greq.body = JSON.parse(raw.toString('utf8'));
      } catch {
        return fail(graphErrors.badJson());
      }
    } else if (greq.method === 'POST' || greq.method === 'PATCH') {
      greq.body = undefined;
    }

    let principal;
    try {
      principal = authenticate(headers.authorization, deps.publicKey, service.store.config.tenantId);
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
      return fail(e, challengeHeaders(e, deps.identityUrl()));
    }

    if (rest.length === 1 && rest[0] === '$batch') {
      if (greq.method !== 'POST') return fail(graphErrors.methodNotAllowed());
      try {
        const out = runBatch(greq, principal, service);
        ctx.counters.record('graph', 'POST /$batch', out.status);
        return send(res, {
          ...out,
          headers: {
            ...out.headers,
            'request-id': requestId,
            'client-request-id': headers['client-request-id'] || requestId,
          },
        });
      } catch (e) {
        if (!(e instanceof GraphError)) throw e;
        return fail(e);
      }
    }
    if (
      (greq.method === 'POST' || greq.method === 'PATCH') &&
      greq.body === undefined &&
      rest[0]?.toLowerCase() !== 'directory'
    ) {
      return fail(graphErrors.badJson());
    }
    send(res, service.execute(greq, principal));
  });
  return app;
}

function lowerHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function send(res: Response, r: GraphResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.status(r.status);
  res.set({
    'Cache-Control': 'no-cache',
    'Strict-Transport-Security': 'max-age=31536000',
    'x-ms-ags-diagnostic': DIAGNOSTIC,
    ...r.headers,
  });
  if (r.body === undefined || r.status === 204) {
    res.removeHeader('Content-Type');
    res.end();
  } else if (typeof r.body === 'string') res.send(r.body);
  else res.send(Buffer.from(JSON.stringify(r.body)));
}
