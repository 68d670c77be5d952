// OpenID Connect discovery, instance discovery and the signing keys, so that unmodified MSAL and other
// OIDC clients find the token endpoint on this server.
// - Tenant metadata: GET /{tenant}/v2.0/.well-known/openid-configuration (the document MSAL fetches:
//   msal-common Authority.defaultOpenIdConfigurationEndpoint). For a meta-tenant (common, organizations)
//   the issuer carries the literal "{tenantid}" placeholder, as login.microsoftonline.com's does.
// - Instance discovery: GET /common/discovery/instance?api-version=1.1&authorization_endpoint=… MSAL only
//   calls it on login.microsoftonline.com (hard-coded), so for this host clients pass
//   knownAuthorities: ['127.0.0.1:4010'] (or cloudDiscoveryMetadata); the endpoint answers anyway for
//   clients that let you point instance discovery elsewhere.
import express, { type Request, type Router } from 'express';
import { AadError } from './aad-errors.js';
import type { IdentityConfig } from './identity.config.js';
import type { SigningKey } from './signing-key.js';
import { META_TENANTS, resolveTenant } from './tenant.js';

export interface DiscoveryDeps {
  config: () => IdentityConfig;
  verifiedDomains: () => readonly string[];
  key: SigningKey;
  baseUrl: (req: Request) => string;
  graphUrl: () => string;
  record: (endpoint: string, status: number) => void;
}

export function discoveryRoutes(deps: DiscoveryDeps): Router {
  const router = express.Router();

  router.get('/:tenant/discovery/instance', (req, res) => {
    const base = deps.baseUrl(req);
    const host = new URL(base).host;
    const authz = String(req.query.authorization_endpoint ?? '');
    const tenant = /^https?:\/\/[^/]+\/([^/]+)\//.exec(authz)?.[1] ?? '{tenant}';
    deps.record('GET /common/discovery/instance', 200);
    res.json({
      tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        { preferred_network: host, preferred_cache: host, aliases: [host, host.replace('127.0.0.1', 'localhost')] },
      ],
    });
  });

  const openid = (req: Request, v2: boolean) => {
    const config = deps.config();
    const segment = String(req.params.tenant);
    const meta = META_TENANTS.has(segment.toLowerCase());
    const tid = meta ? segment : resolveTenant(segment, config, deps.verifiedDomains());
    const base = `${deps.baseUrl(req)}/${tid}`;
    const issuerTenant = meta ? '{tenantid}' : tid;
    const graph = deps.graphUrl();
    return {
      token_endpoint: v2 ? `${base}/oauth2/v2.0/token` : `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: v2 ? `${deps.baseUrl(req)}/${issuerTenant}/v2.0` : `https://sts.windows.net/${issuerTenant}/`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${graph}/oidc/userinfo`,
      authorization_endpoint: v2 ? `${base}/oauth2/v2.0/authorize` : `${base}/oauth2/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: v2 ? `${base}/oauth2/v2.0/logout` : `${base}/oauth2/logout`,
      claims_supported: [
        'sub',
        'iss',
        'cloud_instance_name',
        'cloud_instance_host_name',
        'cloud_graph_host_name',
        'msgraph_host',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'SA',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: new URL(graph).host,
      rbac_url: 'https://pas.windows.net',
    };
  };

  for (const [path, v2] of [
    ['/:tenant/v2.0/.well-known/openid-configuration', true],
    ['/:tenant/.well-known/openid-configuration', false],
  ] as const) {
    const endpoint = v2
      ? 'GET /{tenant}/v2.0/.well-known/openid-configuration'
      : 'GET /{tenant}/.well-known/openid-configuration';
    router.get(path, (req, res) => {
      try {
        const body = openid(req, v2);
        deps.record(endpoint, 200);
        res.json(body);
      } catch (e) {
        if (!(e instanceof AadError)) throw e;
        deps.record(endpoint, e.status);
        res.status(e.status).json(e.body(deps.baseUrl(req)));
      }
    });
  }

  for (const path of ['/:tenant/discovery/v2.0/keys', '/:tenant/discovery/keys', '/common/discovery/keys']) {
    router.get(path, (_req, res) => {
      deps.record('GET /{tenant}/discovery/v2.0/keys', 200);
      res.json({ keys: [deps.key.jwk] });
    });
  }
  return router;
}
