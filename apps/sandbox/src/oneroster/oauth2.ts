// OAuth 2 client credentials, as OneRoster 1.2 servers (and many 1.1 ones since) offer them (IMS
// Security Framework 1.0 §4.1; RFC 6749 §4.4): POST to the token endpoint with grant_type=
// client_credentials, the client authenticated with HTTP Basic (RFC 6749 §2.3.1) or client_id/
// client_secret in the form; the answer {access_token, token_type: "bearer", expires_in, scope}; errors
// as RFC 6749 §5.2 ({error, error_description}, 400, or 401 for invalid_client). The token is then sent
// as `Authorization: Bearer` (RFC 6750 §2.1).
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const ROSTER_SCOPE = 'https://purl.imsglobal.org/spec/or/v1p1/scope/roster-core.readonly';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class TokenIssuer {
  private readonly tokens = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(
    form: URLSearchParams,
    authorization: string | undefined,
    client: { id: string; secret: string; ttlSeconds: number },
  ): TokenAnswer {
    let id = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    if (authorization?.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        id = decodeURIComponent(decoded.slice(0, colon));
        secret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    if (form.get('grant_type') !== 'client_credentials')
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' },
      };
    if (!id || !secret || !same(id, client.id) || !same(secret, client.secret))
      return { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };
    const scope = form.get('scope');
    if (scope && !scope.split(' ').every((s) => s === ROSTER_SCOPE))
      return { status: 400, body: { error: 'invalid_scope', error_description: `unknown scope; ${ROSTER_SCOPE}` } };
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.now() + client.ttlSeconds * 1000);
    return {
      status: 200,
      body: { access_token: token, token_type: 'bearer', expires_in: client.ttlSeconds, scope: ROSTER_SCOPE },
    };
  }

  /** The reason a bearer token is refused, or null. */
  check(authorization: string | undefined): string | null {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return 'missing bearer token';
    const until = this.tokens.get(token);
    if (until === undefined) return 'unknown access token';
    if (until <= this.now()) {
      this.tokens.delete(token);
      return 'access token expired';
    }
    return null;
  }

  revokeAll(): void {
    this.tokens.clear();
  }
}
