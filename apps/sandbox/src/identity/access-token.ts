// Access tokens for Microsoft Graph as Entra issues them for the client-credentials grant: a v1.0 JWT
// (Graph's app tokens are v1 regardless of endpoint) with aud https://graph.microsoft.com, iss
// https://sts.windows.net/{tid}/, idtyp "app" and the granted application permissions in `roles`.
// Claim list: learn.microsoft.com/entra/identity-platform/access-token-claims-reference
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IdentityConfig } from './identity.config.js';
import { GRAPH_RESOURCE } from './identity.config.js';
import { signJwt } from './jwt.js';
import type { SigningKey } from './signing-key.js';

export interface IssuedToken {
  token_type: 'Bearer';
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

/** The service principal's object id: stable per client id, as in a real tenant. */
export function servicePrincipalOid(clientId: string): string {
  const h = createHash('sha256').update(`sp:${clientId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function issueGraphToken(config: IdentityConfig, key: SigningKey, now = Date.now()): IssuedToken {
  const iat = Math.floor(now / 1000);
  const lifetime = config.tokenLifetimeSeconds;
  const sts = `https://sts.windows.net/${config.tenantId}/`;
  const oid = servicePrincipalOid(config.clientId);
  const payload = {
    aud: GRAPH_RESOURCE,
    iss: sts,
    iat,
    nbf: iat,
    exp: iat + lifetime,
    aio: randomBytes(24).toString('base64url'),
    app_displayname: config.appDisplayName,
    appid: config.clientId,
    appidacr: '1',
    idp: sts,
    idtyp: 'app',
    oid,
    rh: `0.${randomBytes(16).toString('base64url')}.`,
    roles: [...config.roles],
    sub: oid,
    tenant_region_scope: 'SA',
    tid: config.tenantId,
    uti: randomUUID().replace(/-/g, '').slice(0, 22),
    ver: '1.0',
    xms_tcdt: iat - 86_400 * 365,
  };
  const access_token = signJwt({ x5t: key.kid, kid: key.kid }, payload, key.privateKey);
  return { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token };
}
