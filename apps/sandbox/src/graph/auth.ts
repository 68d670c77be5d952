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

/**
 * Signatures already checked, per key: a client sends the same token for an hour, and an RSA verification
 * per request was a visible part of the stand-in's CPU. Only the signature is remembered: the claims
 * (audience, lifetime, tenant) are checked on every request.
 */
const verified = new WeakMap<KeyObject, Map<string, Record<string, unknown>>>();
const VERIFIED_MAX = 256;

function verifiedPayload(token: string, key: KeyObject): Record<string, unknown> {
  let known = verified.get(key);
  if (!known) verified.set(key, (known = new Map()));
  const hit = known.get(token);
  if (hit) return hit;
  const check = decodeAndVerifyJwt(token, key);
  if (!check.ok) throw check.reason === 'malformed' ? graphErrors.tokenMalformed() : graphErrors.tokenInvalid();
  if (known.size >= VERIFIED_MAX) known.delete(known.keys().next().value!);
  known.set(token, check.payload);
  return check.payload;
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
  const p = verifiedPayload(token, key);
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
