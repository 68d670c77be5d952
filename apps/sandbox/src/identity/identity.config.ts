// The one app registration and tenant the identity stand-in knows. Dev defaults are public on purpose:
// they only ever unlock the sandbox. Override with SANDBOX_GRAPH_TENANT_ID / _CLIENT_ID / _CLIENT_SECRET.
export interface IdentityConfig {
  /** Directory (tenant) id: the `tid` claim and the authority path segment. */
  tenantId: string;
  /** Initial domain of the tenant; also accepted in place of the tenant id in authority URLs. */
  tenantDomain: string;
  /** Shown in AADSTS messages ("... not found in the tenant named X"). */
  tenantDisplayName: string;
  clientId: string;
  clientSecret: string;
  appDisplayName: string;
  /** Lifetime of issued access tokens, seconds. Entra issues 60–90 min tokens; 3599 is what it reports for app tokens. */
  tokenLifetimeSeconds: number;
  /** Application permissions (app roles) granted to the app, as they appear in the token's `roles` claim. */
  roles: string[];
}

export const DEV_TENANT_ID = '7d3c1f5e-2a4b-4c6d-8e9f-0a1b2c3d4e5f';
export const DEV_CLIENT_ID = '3f8a5c2e-9b1d-4e7a-a6c4-1d2e3f4a5b6c';
export const DEV_CLIENT_SECRET = 'lucy-sandbox~dev-secret-0000000000000000';

export function identityConfigFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  return {
    tenantId: env.SANDBOX_GRAPH_TENANT_ID || DEV_TENANT_ID,
    tenantDomain: env.SANDBOX_GRAPH_TENANT_DOMAIN || 'lucy.onmicrosoft.com',
    tenantDisplayName: 'Lucy Sandbox',
    clientId: env.SANDBOX_GRAPH_CLIENT_ID || DEV_CLIENT_ID,
    clientSecret: env.SANDBOX_GRAPH_CLIENT_SECRET || DEV_CLIENT_SECRET,
    appDisplayName: 'Lucy teams-service (sandbox)',
    tokenLifetimeSeconds: Number(env.SANDBOX_GRAPH_TOKEN_LIFETIME_SECONDS) || 3599,
    roles: ['User.ReadWrite.All', 'Directory.ReadWrite.All', 'Organization.Read.All'],
  };
}

/** Microsoft Graph's resource identifiers: the app id URI and the well-known first-party app id. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
