// The login.microsoftonline.com stand-in: discovery documents, keys and the token endpoint, behind the
// shared fault knobs for target 'identity'.
import express, { type Express, type Request } from 'express';
import type { SandboxContext } from '../context.js';
import { sleep } from '../faults/index.js';
import { aad } from './aad-errors.js';
import { discoveryRoutes } from './discovery.routes.js';
import type { IdentityConfig } from './identity.config.js';
import type { SigningKey } from './signing-key.js';
import { tokenRoutes } from './token.routes.js';

export interface IdentityAppDeps {
  ctx: SandboxContext;
  config: () => IdentityConfig;
  verifiedDomains: () => readonly string[];
  key: SigningKey;
  graphUrl: () => string;
}

export const requestBaseUrl = (req: Request) => `https://${req.headers.host ?? '127.0.0.1'}`;

export function identityApp(deps: IdentityAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const record = (endpoint: string, status: number) => deps.ctx.counters.record('identity', endpoint, status);

  app.use(async (req, res, next) => {
    res.set('x-ms-request-id', crypto.randomUUID());
    const decision = deps.ctx.faults.decide('identity');
    if (decision.delayMs) await sleep(decision.delayMs);
    if (decision.kind === 'pass') return next();
    const err = decision.kind === 'throttle' ? aad.throttled() : aad.transient();
    if (decision.kind === 'throttle') res.set('Retry-After', String(decision.retryAfterSeconds));
    record(`${req.method} ${req.path.replace(/^\/[^/]+\//, '/{tenant}/')}`, err.status);
    res
      .status(err.status)
      .json(err.body(requestBaseUrl(req), String(req.headers['client-request-id'] ?? '') || undefined));
  });

  const common = {
    config: deps.config,
    verifiedDomains: deps.verifiedDomains,
    key: deps.key,
    baseUrl: requestBaseUrl,
    record,
  };
  app.use(discoveryRoutes({ ...common, graphUrl: deps.graphUrl }));
  app.use(tokenRoutes(common));
  app.use((req, res) => {
    record(`${req.method} (unknown)`, 404);
    res.status(404).json({ error: 'not_found', error_description: `No such endpoint: ${req.method} ${req.path}` });
  });
  return app;
}
