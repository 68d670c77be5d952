import { createHmac } from 'node:crypto';
import { oauth1Authorization } from './oauth1-signer.js';

const cred = { consumerKey: 'lucy key', consumerSecret: 's3cret&más' };
const parse = (h: string) =>
  Object.fromEntries([...h.slice(6).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, decodeURIComponent(m[2]!)]));

describe('oauth1Authorization', () => {
  const url = new URL(
    "https://sis.example.edu/ims/oneroster/v1p1/students?filter=dateLastModified%3E'2027-03-01T00:00:00.000Z'&limit=100&offset=0&a2=x&a=y",
  );
  const header = oauth1Authorization(
    'GET',
    url,
    cred,
    () => 1_800_000_000_123,
    () => 'abc',
  );

  it('sends every OAuth 1.0a parameter, HMAC-SHA256, in the Authorization header', () => {
    expect(parse(header)).toMatchObject({
      oauth_consumer_key: 'lucy key',
      oauth_nonce: 'abc',
      oauth_signature_method: 'HMAC-SHA256',
      oauth_timestamp: '1800000000',
      oauth_version: '1.0',
    });
  });

  it('signs the RFC 5849 base string: parameters sorted by name, then value, percent-encoded', () => {
    // Built here step by step from §3.4.1: "a" sorts before "a2" (by name, not as "a=..." text).
    const params =
      'a=y&a2=x&filter=dateLastModified%253E%25272027-03-01T00%253A00%253A00.000Z%2527&limit=100&oauth_consumer_key=lucy%2520key' +
      '&oauth_nonce=abc&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1800000000&oauth_version=1.0&offset=0';
    const base = `GET&https%3A%2F%2Fsis.example.edu%2Fims%2Foneroster%2Fv1p1%2Fstudents&${params.replace(/=/g, '%3D').replace(/&/g, '%26')}`;
    const expected = createHmac('sha256', 's3cret%26m%C3%A1s&').update(base).digest('base64');
    expect(parse(header).oauth_signature).toBe(expected);
  });

  it('changes with the query, the time and the nonce', () => {
    const other = new URL(url);
    other.searchParams.set('offset', '100');
    const sig = (u: URL, at: number, nonce: string) =>
      parse(
        oauth1Authorization(
          'GET',
          u,
          cred,
          () => at,
          () => nonce,
        ),
      ).oauth_signature;
    const same = sig(url, 1_800_000_000_123, 'abc');
    expect(same).toBe(parse(header).oauth_signature);
    expect(sig(other, 1_800_000_000_123, 'abc')).not.toBe(same);
    expect(sig(url, 1_800_000_001_000, 'abc')).not.toBe(same);
    expect(sig(url, 1_800_000_000_123, 'abd')).not.toBe(same);
  });
});
