// OAuth 1.0a request signing as OneRoster 1.1 requires it (IMS OneRoster 1.1, "Security": OAuth 1.0a
// with HMAC-SHA256 signatures, IMS Security Framework 1.0), verified as RFC 5849 describes:
//   §3.4.1 signature base string: METHOD & encode(base URI) & encode(normalized parameters), where the
//          parameters are the query's and the oauth_* ones (not oauth_signature nor realm), each name and
//          value percent-encoded (§3.6, RFC 3986 unreserved set), sorted by name then value;
//   §3.4.2 HMAC key: encode(consumer secret) & encode(token secret) — two-legged: the token secret is empty;
//   §3.3   timestamp within a window of the server's clock, and a nonce never seen for that timestamp.
// The oauth_* parameters come in the Authorization header (§3.5.1) or the query (§3.5.3).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const rfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** §3.4.1.2: scheme and host lower case, the port only when not the scheme's default, no query. */
export function baseUri(url: URL): string {
  const defaultPort =
    (url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443');
  return `${url.protocol.toLowerCase()}//${url.hostname.toLowerCase()}${url.port && !defaultPort ? `:${url.port}` : ''}${url.pathname}`;
}

export function baseString(method: string, url: URL, params: [string, string][]): string {
  const normalized = params
    .filter(([k]) => k !== 'oauth_signature' && k !== 'realm')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return [method.toUpperCase(), rfc3986(baseUri(url)), rfc3986(normalized)].join('&');
}

export function hmacSha256(base: string, consumerSecret: string, tokenSecret = ''): string {
  return createHmac('sha256', `${rfc3986(consumerSecret)}&${rfc3986(tokenSecret)}`)
    .update(base)
    .digest('base64');
}

/** §3.5.1: `OAuth k="v", k="v"` with percent-encoded values. */
export function parseAuthorization(header: string | undefined): [string, string][] | null {
  if (!header || !/^OAuth\s/i.test(header)) return null;
  const out: [string, string][] = [];
  for (const m of header.slice(6).matchAll(/([A-Za-z_]+)\s*=\s*"([^"]*)"/g))
    out.push([m[1]!, decodeURIComponent(m[2]!)]);
  return out;
}

export interface OAuth1Check {
  consumerKey: string;
  consumerSecret: string;
  /** Accepted clock difference, seconds. */
  windowSeconds: number;
}

/** Nonces seen, per consumer and timestamp, forgotten once their timestamp leaves the window. */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  use(key: string, nonce: string, timestamp: number, nowSeconds: number, window: number): boolean {
    for (const [k, t] of this.seen) if (t < nowSeconds - window) this.seen.delete(k);
    const id = `${key}\u0000${timestamp}\u0000${nonce}`;
    if (this.seen.has(id)) return false;
    this.seen.set(id, timestamp);
    return true;
  }
}

/** Verifies a signed request; the reason of a refusal, or null when it is good. */
export function verifyOAuth1(
  req: { method: string; url: URL; authorization?: string },
  check: OAuth1Check,
  nonces: NonceCache,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | null {
  const query = [...req.url.searchParams.entries()];
  const header = parseAuthorization(req.authorization);
  const oauth = header ?? query.filter(([k]) => k.startsWith('oauth_'));
  const get = (k: string) => oauth.find(([n]) => n === k)?.[1];
  const key = get('oauth_consumer_key');
  const signature = get('oauth_signature');
  if (!key || !signature) return 'missing OAuth 1.0a parameters (oauth_consumer_key, oauth_signature)';
  if (get('oauth_signature_method') !== 'HMAC-SHA256')
    return `unsupported oauth_signature_method '${get('oauth_signature_method') ?? ''}' (HMAC-SHA256 required)`;
  const version = get('oauth_version');
  if (version !== undefined && version !== '1.0') return `unsupported oauth_version '${version}'`;
  const ts = Number(get('oauth_timestamp'));
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > check.windowSeconds)
    return 'oauth_timestamp missing or outside the accepted window';
  const nonce = get('oauth_nonce');
  if (!nonce) return 'missing oauth_nonce';
  if (key !== check.consumerKey) return 'unknown oauth_consumer_key';
  const params = header ? [...query, ...header] : query;
  const expected = hmacSha256(baseString(req.method, req.url, params), check.consumerSecret);
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'invalid oauth_signature';
  // Only a correctly signed request spends its nonce: a forged one must not block the real one.
  if (!nonces.use(key, nonce, ts, nowSeconds, check.windowSeconds)) return 'oauth_nonce already used';
  return null;
}
