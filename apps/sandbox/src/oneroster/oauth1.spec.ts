import { NonceCache, baseString, hmacSha256, rfc3986, verifyOAuth1 } from './oauth1.js';

describe('OAuth 1.0a (RFC 5849)', () => {
  it('builds the signature base string of RFC 5849 §3.4.1.1’s example', () => {
    const url = new URL('http://EXAMPLE.com:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b');
    const params: [string, string][] = [
      ...url.searchParams.entries(),
      ['c2', ''],
      ['a3', '2 q'],
      ['realm', 'Example'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['oauth_signature', 'bYT5CMsGcbgUdFHObYMEfcx6bsw='],
    ];
    expect(baseString('post', url, params)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('percent-encodes the RFC 3986 reserved characters encodeURIComponent leaves alone', () => {
    expect(rfc3986("dateLastModified>'2027-01-01T00:00:00Z' (!*)")).toBe(
      'dateLastModified%3E%272027-01-01T00%3A00%3A00Z%27%20%28%21%2A%29',
    );
  });

  describe('verifyOAuth1', () => {
    const check = { consumerKey: 'lucy', consumerSecret: 's3cret', windowSeconds: 300 };
    const now = 1_800_000_000;
    const sign = (url: URL, over: Record<string, string> = {}, secret = 's3cret') => {
      const oauth: Record<string, string> = {
        oauth_consumer_key: 'lucy',
        oauth_signature_method: 'HMAC-SHA256',
        oauth_timestamp: String(now),
        oauth_nonce: 'n-1',
        oauth_version: '1.0',
        ...over,
      };
      const sig = hmacSha256(baseString('GET', url, [...url.searchParams.entries(), ...Object.entries(oauth)]), secret);
      return `OAuth ${Object.entries({ ...oauth, oauth_signature: sig })
        .map(([k, v]) => `${k}="${rfc3986(v)}"`)
        .join(', ')}`;
    };
    const url = new URL(
      "http://127.0.0.1:6150/ims/oneroster/v1p1/students?filter=dateLastModified%3E'2027-01-01'&limit=5",
    );

    it('accepts a good signature once, and refuses its replay', () => {
      const nonces = new NonceCache();
      const authorization = sign(url);
      expect(verifyOAuth1({ method: 'GET', url, authorization }, check, nonces, now)).toBeNull();
      expect(verifyOAuth1({ method: 'GET', url, authorization }, check, nonces, now)).toMatch(/nonce already used/);
    });

    it('refuses a wrong secret, another URL, an old timestamp, another signature method and no signature', () => {
      const nonces = new NonceCache();
      expect(verifyOAuth1({ method: 'GET', url, authorization: sign(url, {}, 'x') }, check, nonces, now)).toMatch(
        /invalid oauth_signature/,
      );
      const other = new URL(url);
      other.searchParams.set('limit', '6');
      expect(verifyOAuth1({ method: 'GET', url: other, authorization: sign(url) }, check, nonces, now)).toMatch(
        /invalid oauth_signature/,
      );
      expect(
        verifyOAuth1(
          { method: 'GET', url, authorization: sign(url, { oauth_timestamp: String(now - 301) }) },
          check,
          nonces,
          now,
        ),
      ).toMatch(/timestamp/);
      expect(
        verifyOAuth1(
          { method: 'GET', url, authorization: sign(url, { oauth_signature_method: 'HMAC-SHA1' }) },
          check,
          nonces,
          now,
        ),
      ).toMatch(/HMAC-SHA256 required/);
      expect(verifyOAuth1({ method: 'GET', url }, check, nonces, now)).toMatch(/missing/);
    });

    it('a forged request does not spend the nonce of the real one', () => {
      const nonces = new NonceCache();
      expect(
        verifyOAuth1({ method: 'GET', url, authorization: sign(url, {}, 'x') }, check, nonces, now),
      ).not.toBeNull();
      expect(verifyOAuth1({ method: 'GET', url, authorization: sign(url) }, check, nonces, now)).toBeNull();
    });
  });
});
