// JSON batching (learn.microsoft.com/graph/json-batching): POST /$batch with up to 20 requests, each
// answered on its own in {responses:[{id,status,headers,body}]}; the batch itself is 200 even when inner
// requests fail. dependsOn orders requests, and a request whose dependency failed is answered 424.
// Inner requests are throttled individually: a 429 comes back inside, with its own Retry-After
// (learn.microsoft.com/graph/throttling, "Throttling and batching").
import type { Principal } from './auth.js';
import { GraphError } from './errors.js';
import type { GraphService } from './graph.service.js';
import type { GraphRequest, GraphResponse } from './router.js';

export const MAX_BATCH_REQUESTS = 20;

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

const bad = (message: string) => new GraphError(400, 'BadRequest', message);

function validate(body: unknown): InnerRequest[] {
  const requests = (body as { requests?: unknown })?.requests;
  if (!Array.isArray(requests)) throw bad('Invalid batch payload format.');
  if (requests.length === 0) throw bad('Invalid batch payload format.');
  if (requests.length > MAX_BATCH_REQUESTS)
    throw bad(`Number of batch requests exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
  const ids = new Set<string>();
  for (const r of requests as InnerRequest[]) {
    if (
      !r ||
      typeof r !== 'object' ||
      typeof r.id !== 'string' ||
      !r.id ||
      typeof r.method !== 'string' ||
      typeof r.url !== 'string'
    )
      throw bad('Invalid batch payload format.');
    if (ids.has(r.id)) throw bad(`Batch request contains duplicate request id: ${r.id}.`);
    ids.add(r.id);
    const hasContentType = Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
    // Observed service message for a write without a Content-Type header (or without a body).
    if (['POST', 'PATCH', 'PUT'].includes(r.method.toUpperCase()) && r.body !== undefined && !hasContentType) {
      throw bad(`Write request id : ${r.id} does not contain Content-Type header or body.`);
    }
  }
  for (const r of requests as InnerRequest[]) {
    for (const d of r.dependsOn ?? [])
      if (!ids.has(d) || d === r.id) throw bad(`Request id ${r.id} depends on an unknown request id: ${d}.`);
  }
  return requests as InnerRequest[];
}

export function runBatch(outer: GraphRequest, principal: Principal, service: GraphService): GraphResponse {
  const requests = validate(outer.body);
  const byId = new Map(requests.map((r) => [r.id, r]));
  const done = new Map<string, GraphResponse>();
  const running = new Set<string>();

  const run = (r: InnerRequest): GraphResponse => {
    const existing = done.get(r.id);
    if (existing) return existing;
    if (running.has(r.id)) throw bad('Batch request contains a circular dependsOn.');
    running.add(r.id);
    const failedDep = (r.dependsOn ?? []).map((d) => run(byId.get(d)!)).find((res) => res.status >= 400);
    const res = failedDep
      ? service.errorResponse(
          new GraphError(424, 'FailedDependency', 'Request failed due to a failed dependent request.'),
          lower(r.headers),
        )
      : service.execute(toRequest(r, outer), principal);
    running.delete(r.id);
    done.set(r.id, res);
    return res;
  };
  for (const r of requests) run(r);

  return {
    status: 200,
    headers: {
      'Content-Type':
        'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
      'OData-Version': '4.0',
    },
    body: {
      responses: requests.map((r) => {
        const res = done.get(r.id)!;
        const { 'request-id': _r, 'client-request-id': _c, ...headers } = res.headers ?? {};
        return { id: r.id, status: res.status, headers, ...(res.body !== undefined ? { body: res.body } : {}) };
      }),
    },
  };
}

function lower(h: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** Inner urls are relative to the version root ("/users?$top=1" or "users/{id}"). */
function toRequest(r: InnerRequest, outer: GraphRequest): GraphRequest {
  let url = r.url.trim();
  if (/^https?:\/\//i.test(url)) url = new URL(url).pathname.replace(/^\/v1\.0/, '') + new URL(url).search;
  const [path, search = ''] = url.replace(/^\/+/, '').split('?');
  return {
    method: r.method.toUpperCase(),
    segments: path.split('/').filter(Boolean).map(safeDecode),
    query: new URLSearchParams(search),
    headers: { ...lower(r.headers), 'client-request-id': outer.headers['client-request-id'] ?? '' },
    body: r.body,
    base: outer.base,
  };
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
