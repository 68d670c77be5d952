// Bearer-token check in front of every Graph call: signature by the identity stand-in's key, audience
// Microsoft Graph, lifetime, tenant (learn.microsoft.com/graph/resolve-auth-errors). Graph answers 401 with
// InvalidAuthenticationToken and a WWW-Authenticate challenge naming the authorization server.
import type { KeyObject } from 'node:crypto';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from '../identity/identity.config.js';
import { decodeAndVerifyJwt } from '../identity/jwt.js';
import { GraphError, graphErrors } from './errors.js';

export interface Principal {
  appId: string;
  tenantId: string;
  roles: string[];
}

export function authenticate(
  authorization: string | undefined,
  key: KeyObject,
  tenantId: string,
  now = Date.now(),
): Principal {
  const m = /^Bearer\s*(.*)$/i.exec(authorization ?? '');
  const token = m?.[1]?.trim();
  if (!token) throw graphErrors.tokenEmpty();
  const check = decodeAndVerifyJwt(token, key);
  if (!check.ok) throw check.reason === 'malformed' ? graphErrors.tokenMalformed() : graphErrors.tokenInvalid();
  const p = check.payload;
  if (p.aud !== GRAPH_RESOURCE && p.aud !== `${GRAPH_RESOURCE}/` && p.aud !== GRAPH_APP_ID)
    throw graphErrors.tokenAudience();
  const t = Math.floor(now / 1000);
  if (typeof p.exp !== 'number' || p.exp <= t || (typeof p.nbf === 'number' && p.nbf > t))
    throw graphErrors.tokenExpired();
  if (p.tid !== tenantId) throw graphErrors.tokenInvalid();
  return { appId: String(p.appid), tenantId: String(p.tid), roles: Array.isArray(p.roles) ? p.roles.map(String) : [] };
}

export function challengeHeaders(e: GraphError, identityUrl: string): Record<string, string> {
  if (e.status !== 401) return {};
  return {
    'WWW-Authenticate': `Bearer realm="", authorization_uri="${identityUrl}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
  };
}
