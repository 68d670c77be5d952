// Signs a OneRoster 1.1 request with OAuth 1.0a, HMAC-SHA256, two-legged (IMS OneRoster 1.1 "Security";
// RFC 5849 §3.1–3.5): the oauth_* parameters, a fresh nonce and the timestamp, the signature over the
// §3.4.1 base string (method, base URI, the query's and oauth_* parameters percent-encoded and sorted),
// keyed with `consumerSecret&` (no token secret), sent in the Authorization header (§3.5.1).
// Written against the RFC rather than shared with the sandbox's verifier on purpose: two independent
// readings of the RFC that agree are the test.
import { createHmac, randomBytes } from 'node:crypto';

/** RFC 3986 unreserved characters stay, everything else is %XX (RFC 5849 §3.6). */
const encode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
}

export function oauth1Authorization(
  method: string,
  url: URL,
  cred: OAuth1Credentials,
  now: () => number = Date.now,
  nonce: () => string = () => randomBytes(16).toString('hex'),
): string {
  const oauth: [string, string][] = [
    ['oauth_consumer_key', cred.consumerKey],
    ['oauth_nonce', nonce()],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', String(Math.floor(now() / 1000))],
    ['oauth_version', '1.0'],
  ];
  // Sorted by encoded name, then value (§3.4.1.3.2): not as joined "k=v" text, where "a2" would precede "a".
  const params = [...url.searchParams.entries(), ...oauth]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  // Default ports are left out of the base URI (§3.4.1.2); URL already drops them.
  const base = [
    method.toUpperCase(),
    encode(`${url.protocol}//${url.host.toLowerCase()}${url.pathname}`),
    encode(params),
  ].join('&');
  const signature = createHmac('sha256', `${encode(cred.consumerSecret)}&`)
    .update(base)
    .digest('base64');
  return `OAuth ${[...oauth, ['oauth_signature', signature]].map(([k, v]) => `${k}="${encode(v)}"`).join(', ')}`;
}
