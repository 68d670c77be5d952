// A small request model and router shared by the HTTP front and $batch: both run the same handlers,
// so an inner batch request behaves exactly like the same request sent on its own.
import { GraphError, graphErrors } from './errors.js';
import type { GraphStore } from './store.js';

export interface GraphRequest {
  method: string;
  /** Path below /v1.0, percent-decoded per segment, e.g. ['users', 'a@b.com']. */
  segments: string[];
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: unknown;
  /** Absolute base of the service, e.g. https://127.0.0.1:4011/v1.0 (for @odata.context and nextLink). */
  base: string;
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RouteContext {
  req: GraphRequest;
  params: Record<string, string>;
  store: GraphStore;
}

export interface Route {
  method: string;
  /** Counter/endpoint name, e.g. '/users/{id}'. */
  template: string;
  /** Path patterns that reach this route ({x} = one segment); several for aliases. */
  patterns: string[];
  /** Any one of these application permissions (token `roles`) suffices. */
  roles: string[];
  handle: (ctx: RouteContext) => GraphResponse;
}

export type Match = { route: Route; params: Record<string, string> } | { error: GraphError };

export function matchRoute(routes: Route[], method: string, segments: string[]): Match {
  let pathMatched = false;
  for (const route of routes) {
    for (const pattern of route.patterns) {
      const params = matchPattern(pattern, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method) return { route, params };
    }
  }
  if (pathMatched) return { error: graphErrors.methodNotAllowed() };
  // Graph names the first segment it could not resolve.
  const known = new Set(routes.flatMap((r) => r.patterns.map((p) => p.split('/')[1]?.toLowerCase())));
  const bad = segments.find((s, i) => i > 0 || !known.has(s.toLowerCase())) ?? segments[0] ?? '';
  return { error: graphErrors.segmentNotFound(bad) };
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.startsWith('{')) params[p.slice(1, -1)] = segments[i];
    else if (p.toLowerCase() !== segments[i].toLowerCase()) return undefined;
  }
  return params;
}
