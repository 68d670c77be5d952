import { ConfidentialClientApplication } from '@azure/msal-node';
import {
  DEV_CLIENT_ID,
  DEV_CLIENT_SECRET,
  DEV_TENANT_ID,
  eventually,
  startHarness,
  type Harness,
} from './graph-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const msal = (secret = DEV_CLIENT_SECRET, tenant = DEV_TENANT_ID) =>
  new ConfidentialClientApplication({
    auth: {
      clientId: DEV_CLIENT_ID,
      clientSecret: secret,
      authority: `${h.standIn.identityUrl}/${tenant}`,
      knownAuthorities: [new URL(h.standIn.identityUrl).host],
    },
  });

const AAD_ERROR_KEYS = [
  'correlation_id',
  'error',
  'error_codes',
  'error_description',
  'error_uri',
  'timestamp',
  'trace_id',
];

describe('identity platform stand-in', () => {
  it('lets unmodified MSAL acquire a Graph token with client credentials, then serves it from its cache', async () => {
    const app = msal();
    const first = await app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(first?.accessToken).toMatch(/^ey/);
    expect(first?.fromCache).toBe(false);
    const before = h.ctx.counters.total('identity', { endpoint: 'POST /{tenant}/oauth2/v2.0/token' });
    const second = await app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(second?.fromCache).toBe(true);
    expect(second?.accessToken).toBe(first?.accessToken);
    expect(h.ctx.counters.total('identity', { endpoint: 'POST /{tenant}/oauth2/v2.0/token' })).toBe(before);
    // The token opens Graph.
    h.setBearer(first!.accessToken);
    expect((await h.api('GET', '/subscribedSkus')).status).toBe(200);
  });

  it('issues an RS256 JWT for Microsoft Graph with the app roles', async () => {
    const tok = await h.token();
    const [header, payload] = tok
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: DEV_TENANT_ID,
      appid: DEV_CLIENT_ID,
      idtyp: 'app',
      ver: '1.0',
    });
    expect(payload.roles).toEqual(expect.arrayContaining(['User.ReadWrite.All', 'Directory.ReadWrite.All']));
    expect(payload.exp - payload.iat).toBe(3599);
    const keys = (await (await fetch(`${h.standIn.identityUrl}/${DEV_TENANT_ID}/discovery/v2.0/keys`)).json()) as any;
    expect(keys.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
  });

  it('answers the token request as Entra does: token_type, expires_in, ext_expires_in, access_token', async () => {
    const a = await h.form(h.tokenUrl, {
      client_id: DEV_CLIENT_ID,
      client_secret: DEV_CLIENT_SECRET,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    });
    expect(a.status).toBe(200);
    expect(Object.keys(a.body).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    expect(a.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(a.headers.get('cache-control')).toContain('no-store');
  });

  it('rejects a wrong secret with 401 invalid_client AADSTS7000215, body shaped like Entra', async () => {
    const a = await h.form(h.tokenUrl, {
      client_id: DEV_CLIENT_ID,
      client_secret: 'nope',
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    });
    expect(a.status).toBe(401);
    expect(Object.keys(a.body).sort()).toEqual(AAD_ERROR_KEYS);
    expect(a.body.error).toBe('invalid_client');
    expect(a.body.error_codes).toEqual([7000215]);
    expect(a.body.error_description).toMatch(
      /^AADSTS7000215: Invalid client secret provided\. .*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/s,
    );
    expect(a.body.error_uri).toMatch(/error\?code=7000215$/);
    await expect(
      msal('wrong').acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }),
    ).rejects.toMatchObject({ errorCode: 'invalid_client' });
  });

  it('rejects an unknown client id (AADSTS700016), an unknown tenant (AADSTS90002) and a bad scope (AADSTS1002012)', async () => {
    const base = {
      client_id: DEV_CLIENT_ID,
      client_secret: DEV_CLIENT_SECRET,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    };
    const app = await h.form(h.tokenUrl, { ...base, client_id: '11111111-1111-1111-1111-111111111111' });
    expect([app.status, app.body.error, app.body.error_codes]).toEqual([400, 'unauthorized_client', [700016]]);
    const tenant = await h.form(
      `${h.standIn.identityUrl}/00000000-0000-0000-0000-000000000001/oauth2/v2.0/token`,
      base,
    );
    expect([tenant.status, tenant.body.error_codes]).toEqual([400, [90002]]);
    expect(tenant.body.error_description).toMatch(
      /^AADSTS90002: Tenant '00000000-0000-0000-0000-000000000001' not found\./,
    );
    const scope = await h.form(h.tokenUrl, { ...base, scope: 'User.Read' });
    expect([scope.status, scope.body.error, scope.body.error_codes]).toEqual([400, 'invalid_scope', [1002012]]);
    const resource = await h.form(h.tokenUrl, { ...base, scope: 'https://example.org/.default' });
    expect([resource.status, resource.body.error, resource.body.error_codes]).toEqual([
      400,
      'invalid_resource',
      [500011],
    ]);
    const grant = await h.form(h.tokenUrl, { ...base, grant_type: 'password' });
    expect([grant.status, grant.body.error]).toEqual([400, 'unsupported_grant_type']);
  });

  it('accepts the tenant by its domain name, like login.microsoftonline.com', async () => {
    const a = await h.form(`${h.standIn.identityUrl}/lucy.onmicrosoft.com/oauth2/v2.0/token`, {
      client_id: DEV_CLIENT_ID,
      client_secret: DEV_CLIENT_SECRET,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    });
    expect(a.status).toBe(200);
  });

  it('publishes discovery documents that point back at itself', async () => {
    const oidc = (await (
      await fetch(`${h.standIn.identityUrl}/${DEV_TENANT_ID}/v2.0/.well-known/openid-configuration`)
    ).json()) as any;
    expect(oidc.token_endpoint).toBe(`${h.standIn.identityUrl}/${DEV_TENANT_ID}/oauth2/v2.0/token`);
    expect(oidc.issuer).toBe(`${h.standIn.identityUrl}/${DEV_TENANT_ID}/v2.0`);
    const common = (await (
      await fetch(`${h.standIn.identityUrl}/common/v2.0/.well-known/openid-configuration`)
    ).json()) as any;
    expect(common.issuer).toBe(`${h.standIn.identityUrl}/{tenantid}/v2.0`);
    const auth = encodeURIComponent(`${h.standIn.identityUrl}/${DEV_TENANT_ID}/oauth2/v2.0/authorize`);
    const inst = (await (
      await fetch(`${h.standIn.identityUrl}/common/discovery/instance?api-version=1.1&authorization_endpoint=${auth}`)
    ).json()) as any;
    expect(inst.tenant_discovery_endpoint).toBe(
      `${h.standIn.identityUrl}/${DEV_TENANT_ID}/v2.0/.well-known/openid-configuration`,
    );
    expect(inst.metadata[0].aliases).toContain(new URL(h.standIn.identityUrl).host);
  });

  it('makes Graph refuse a token once it has expired (configurable lifetime)', async () => {
    h.store.configure({ tokenLifetimeSeconds: 1 });
    try {
      h.setBearer(await h.token());
      const expired = await eventually(async () => {
        const a = await h.api('GET', '/subscribedSkus');
        return a.status === 401 ? a : undefined;
      }, 5_000);
      expect(expired.body.error).toMatchObject({
        code: 'InvalidAuthenticationToken',
        message: 'Access token has expired or is not yet valid.',
      });
      expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer realm=""/);
    } finally {
      h.store.configure({ tokenLifetimeSeconds: 3599 });
      await h.refreshBearer();
    }
  });

  it('answers 503/429 on the token endpoint when its fault knobs say so', async () => {
    h.ctx.faults.set('identity', { burst429: 1, retryAfterSeconds: 3 });
    const throttled = await h.form(h.tokenUrl, {
      client_id: DEV_CLIENT_ID,
      client_secret: DEV_CLIENT_SECRET,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    h.ctx.faults.set('identity', { errorRate: 1 });
    const down = await h.form(h.tokenUrl, {});
    expect([down.status, down.body.error]).toEqual([503, 'temporarily_unavailable']);
    h.ctx.faults.reset('identity');
  });
});
