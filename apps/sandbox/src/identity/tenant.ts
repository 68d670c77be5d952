// Resolves the tenant segment of an authority URL the way login.microsoftonline.com does: the tenant id,
// any of its domains, or a meta-tenant (common / organizations / consumers).
import type { IdentityConfig } from './identity.config.js';
import { aad } from './aad-errors.js';

export const META_TENANTS = new Set(['common', 'organizations', 'consumers']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DNS = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Returns the tenant id, or throws the AadError Entra would answer with. */
export function resolveTenant(segment: string, config: IdentityConfig, verifiedDomains: readonly string[]): string {
  const s = segment.toLowerCase();
  if (s === config.tenantId.toLowerCase()) return config.tenantId;
  if (s === config.tenantDomain.toLowerCase() || verifiedDomains.some((d) => d.toLowerCase() === s))
    return config.tenantId;
  if (GUID.test(s) || DNS.test(s)) throw aad.tenantNotFound(segment);
  throw aad.invalidTenantIdentifier(segment);
}
