// POST /{tenant}/oauth2/v2.0/token — the client-credentials grant with a shared secret
// (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow), and the v1 endpoint
// /{tenant}/oauth2/token (resource= instead of scope=) that older SDKs still call.
import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { aad, AadError } from './aad-errors.js';
import { issueGraphToken } from './access-token.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE, type IdentityConfig } from './identity.config.js';
import type { SigningKey } from './signing-key.js';
import { META_TENANTS, resolveTenant } from './tenant.js';

export interface TokenRouteDeps {
  config: () => IdentityConfig;
  verifiedDomains: () => readonly string[];
  key: SigningKey;
  baseUrl: (req: Request) => string;
  record: (endpoint: string, status: number) => void;
}

const GRAPH_RESOURCES = new Set([GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID, 'https://graph.microsoft.com/']);

export function tokenRoutes(deps: TokenRouteDeps): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  router.post('/:tenant/oauth2/v2.0/token', form, (req, res) => {
    const endpoint = 'POST /{tenant}/oauth2/v2.0/token';
    answer(req, res, endpoint, () => {
      const { config, params } = authenticate(req, deps);
      const scope = params.scope?.trim();
      if (!scope) throw aad.missingParameter('scope');
      const scopes = scope.split(/\s+/);
      // Client credentials take exactly one "<resource>/.default" (AADSTS1002012 otherwise).
      const bad = scopes.find((s) => !s.endsWith('/.default'));
      if (bad || scopes.length !== 1) throw aad.scopeNotDefault(scope);
      const resource = scopes[0].slice(0, -'/.default'.length);
      if (!GRAPH_RESOURCES.has(resource) && !GRAPH_RESOURCES.has(`${resource}/`))
        throw aad.resourceNotFound(resource, config.tenantDisplayName);
      return issueGraphToken(config, deps.key);
    });
  });

  router.post('/:tenant/oauth2/token', form, (req, res) => {
    const endpoint = 'POST /{tenant}/oauth2/token';
    answer(req, res, endpoint, () => {
      const { config, params } = authenticate(req, deps);
      const resource = params.resource?.trim();
      if (!resource) throw aad.missingParameter('resource');
      if (!GRAPH_RESOURCES.has(resource)) throw aad.resourceNotFound(resource, config.tenantDisplayName);
      const t = issueGraphToken(config, deps.key);
      const now = Math.floor(Date.now() / 1000);
      // The v1 endpoint answers numbers as strings and adds expires_on / not_before / resource.
      return {
        token_type: 'Bearer',
        expires_in: String(t.expires_in),
        ext_expires_in: String(t.ext_expires_in),
        expires_on: String(now + t.expires_in),
        not_before: String(now),
        resource,
        access_token: t.access_token,
      };
    });
  });

  function answer(req: Request, res: Response, endpoint: string, work: () => object): void {
    const correlationId = String(req.headers['client-request-id'] ?? '') || undefined;
    res.set({
      'Cache-Control': 'no-store, no-cache',
      Pragma: 'no-cache',
      'Content-Type': 'application/json; charset=utf-8',
    });
    if (correlationId) res.set('client-request-id', correlationId);
    try {
      const body = work();
      deps.record(endpoint, 200);
      res.status(200).send(JSON.stringify(body));
    } catch (e) {
      if (!(e instanceof AadError)) throw e;
      deps.record(endpoint, e.status);
      if (e.status === 401) res.set('WWW-Authenticate', 'Basic realm=""');
      res.status(e.status).send(JSON.stringify(e.body(deps.baseUrl(req), correlationId)));
    }
  }
  return router;
}

/** Tenant, grant type, client id and secret, checked in the order Entra reports them. */
function authenticate(
  req: Request,
  deps: TokenRouteDeps,
): { config: IdentityConfig; params: Record<string, string | undefined> } {
  const config = deps.config();
  const params = { ...(req.body ?? {}) } as Record<string, string | undefined>;
  // client_secret_basic: Entra also accepts the credentials in an Authorization: Basic header.
  const basic = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
    params.client_id ??= id;
    params.client_secret ??= secret;
  }
  const segment = String(req.params.tenant);
  if (META_TENANTS.has(segment.toLowerCase())) throw aad.noTenant();
  resolveTenant(segment, config, deps.verifiedDomains());
  if (!params.grant_type) throw aad.missingParameter('grant_type');
  if (params.grant_type !== 'client_credentials') throw aad.unsupportedGrant();
  if (!params.client_id) throw aad.missingParameter('client_id');
  if (params.client_id.toLowerCase() !== config.clientId.toLowerCase())
    throw aad.appNotFound(params.client_id, config.tenantId);
  if (!params.client_secret && !params.client_assertion) throw aad.missingSecret();
  if (!params.client_secret || !sameSecret(params.client_secret, config.clientSecret))
    throw aad.invalidSecret(config.clientId);
  return { config, params };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
