// Entra ID (AAD STS) error responses. Shape as the v2.0 token endpoint returns it
// (learn.microsoft.com/entra/identity-platform/reference-error-codes#handling-error-codes-in-your-application):
// error, error_description "AADSTSnnnn: text\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …",
// error_codes, timestamp, trace_id, correlation_id, error_uri.
import { randomUUID } from 'node:crypto';

export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

export class AadError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    readonly text: string,
  ) {
    super(`AADSTS${code}: ${text}`);
  }

  body(baseUrl: string, correlationId: string = randomUUID()): AadErrorBody {
    const traceId = randomUUID();
    // STS timestamps look like "2024-05-02 10:11:12Z" (space, no milliseconds).
    const timestamp = new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    return {
      error: this.error,
      error_description: `AADSTS${this.code}: ${this.text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${baseUrl}/error?code=${this.code}`,
    };
  }
}

// The messages below are Entra's own wording (reference-error-codes and observed responses).
export const aad = {
  tenantNotFound: (t: string) =>
    new AadError(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${t}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  invalidTenantIdentifier: (t: string) =>
    new AadError(
      400,
      'invalid_tenant',
      900023,
      `Specified tenant identifier '${t}' is neither a valid DNS name, nor a valid external domain.`,
    ),
  noTenant: () =>
    new AadError(
      400,
      'invalid_request',
      50059,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    ),
  missingParameter: (p: string) =>
    new AadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${p}'.`),
  unsupportedGrant: () =>
    new AadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'),
  appNotFound: (clientId: string, tenant: string) =>
    new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  missingSecret: () =>
    new AadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  invalidSecret: (clientId: string) =>
    new AadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  scopeNotDefault: (scope: string) =>
    new AadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  resourceNotFound: (resource: string, tenantName: string) =>
    new AadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  transient: () =>
    new AadError(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'),
  throttled: () =>
    new AadError(
      429,
      'temporarily_unavailable',
      90055,
      'TenantThrottlingError - There are too many incoming requests. Please try again later.',
    ),
};
