// Who may read: a request signed with OAuth 1.0a HMAC-SHA256 (OneRoster 1.1's "Security" requirement;
// oauth1.ts) or carrying a bearer token from POST /token (OAuth 2 client credentials, as 1.2 servers
// offer; oauth2.ts), as the store's `auth` setting allows. A refusal says why and which scheme to use.
import type { Request } from 'express';
import { verifyOAuth1 } from './oauth1.js';
import type { OneRosterStore } from './oneroster.store.js';

/** The request's absolute URL as the client addressed it (what an OAuth 1.0a signature covers). */
export const requestUrl = (req: Request): URL =>
  new URL(req.originalUrl, `${req.protocol}://${req.headers.host ?? 'localhost'}`);

export function authenticate(req: Request, store: OneRosterStore): { reason: string; challenge: string } | null {
  const { auth, consumerKey, consumerSecret, timestampWindowSeconds } = store.config;
  const header = req.headers.authorization;
  const bearer = /^Bearer\s/i.test(header ?? '');
  if (bearer && auth !== 'oauth1') {
    const why = store.tokens.check(header);
    return why ? { reason: why, challenge: `Bearer realm="oneroster", error="invalid_token"` } : null;
  }
  if (!bearer && auth !== 'oauth2') {
    const why = verifyOAuth1(
      { method: req.method, url: requestUrl(req), authorization: header },
      { consumerKey, consumerSecret, windowSeconds: timestampWindowSeconds },
      store.nonces,
    );
    return why ? { reason: why, challenge: 'OAuth realm="oneroster"' } : null;
  }
  return {
    reason: auth === 'oauth1' ? 'OAuth 1.0a signature required' : 'bearer token required',
    challenge: auth === 'oauth1' ? 'OAuth realm="oneroster"' : 'Bearer realm="oneroster"',
  };
}
