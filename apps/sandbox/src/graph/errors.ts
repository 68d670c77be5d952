// Microsoft Graph's error envelope (learn.microsoft.com/graph/errors):
// {"error":{"code","message","innerError":{"date","request-id","client-request-id"},"details"?}}.
// The live service spells it `innerError` (camel case) although the OpenAPI schema says `innererror`,
// and writes `date` without a zone designator ("2018-05-08T04:49:55").

export interface GraphErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: GraphErrorDetail[],
    readonly headers: Record<string, string> = {},
    /** Extra innerError members (the throttling sample carries code/status/message there). */
    readonly inner: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const graphDate = (d = new Date()) => d.toISOString().replace(/\.\d+Z$/, '');

export function errorBody(e: GraphError, requestId: string, clientRequestId: string): object {
  return {
    error: {
      code: e.code,
      message: e.message,
      innerError: { ...e.inner, date: graphDate(), 'request-id': requestId, 'client-request-id': clientRequestId },
      ...(e.details ? { details: e.details } : {}),
    },
  };
}

// The messages are Graph's / Entra's own wording; each cites where it was seen.
export const graphErrors = {
  // learn.microsoft.com/graph/resolve-auth-errors
  tokenEmpty: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.'),
  tokenExpired: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'),
  tokenMalformed: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217'),
  tokenInvalid: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.'),
  tokenAudience: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
  forbidden: () =>
    new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  // Directory (Entra ID) resource errors as Graph relays them.
  notFound: (id: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  required: (prop: string) =>
    new GraphError(400, 'Request_BadRequest', `A value is required for property '${prop}' of resource 'User'.`),
  invalidValue: (prop: string) =>
    new GraphError(400, 'Request_BadRequest', `Invalid value specified for property '${prop}' of resource 'User'.`),
  unverifiedDomain: () =>
    new GraphError(
      400,
      'Request_BadRequest',
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
      [
        {
          code: 'InvalidValue',
          message:
            'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
          target: 'userPrincipalName',
        },
      ],
    ),
  weakPassword: () =>
    new GraphError(
      400,
      'Request_BadRequest',
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
    ),
  // microsoftgraph/microsoft-graph-docs#1508 (dkershaw10) and microsoft-graph-docs-contrib#8421: ObjectConflict
  // then ConflictingObjects, whose target names the other object ("User_<id>").
  duplicate: (prop: string, otherId: string) => {
    const message = `Another object with the same value for property ${prop} already exists.`;
    return new GraphError(400, 'Request_BadRequest', message, [
      { code: 'ObjectConflict', message, target: prop },
      { code: 'ConflictingObjects', message, target: `User_${otherId}` },
    ]);
  },
  unknownProperty: (prop: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `Property '${prop}' does not exist on type 'microsoft.graph.user'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    ),
  badJson: () =>
    new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    ),
  unsupportedFilter: (prop: string) =>
    new GraphError(
      400,
      'Request_UnsupportedQuery',
      `Unsupported or invalid query filter clause specified for property '${prop}' of resource 'User'.`,
    ),
  badFilter: (raw: string) => new GraphError(400, 'BadRequest', `Invalid filter clause: Syntax error in '${raw}'.`),
  badSelect: (prop: string, type = 'microsoft.graph.user') =>
    new GraphError(
      400,
      'BadRequest',
      `Parsing OData Select and Expand failed: Could not find a property named '${prop}' on type '${type}'.`,
    ),
  badPageSize: (top: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
    ),
  countNeedsEventual: () => new GraphError(400, 'Request_BadRequest', '$count is not currently supported.'),
  skipUnsupported: () => new GraphError(400, 'Request_BadRequest', "'$skip' is not supported by the service."),
  badSkipToken: () => new GraphError(400, 'Request_BadRequest', 'Invalid or expired skip token.'),
  segmentNotFound: (segment: string) =>
    new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  methodNotAllowed: () =>
    new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  // Licensing: observed service messages (README of the reference, Okta KB, CLI for Microsoft 365 tests).
  usageLocation: () =>
    new GraphError(
      400,
      'Request_BadRequest',
      'License assignment cannot be done for user with invalid usage location.',
    ),
  unknownSku: (skuId: string) =>
    new GraphError(400, 'Request_BadRequest', `License ${skuId} does not correspond to a valid company License.`),
  noUnits: (skuId: string) =>
    new GraphError(400, 'Request_BadRequest', `Subscription with SKU ${skuId} does not have any available licenses.`),
  notAssigned: () => new GraphError(400, 'Request_BadRequest', 'User does not have a corresponding license.'),
  missingParameter: (name: string) =>
    new GraphError(
      400,
      'BadRequest',
      `The parameter '${name}' in the request payload is not a valid parameter for the operation 'assignLicense'.`,
    ),
  // learn.microsoft.com/graph/throttling, "Sample response".
  throttled: (retryAfter: number, headers: Record<string, string> = {}) =>
    new GraphError(
      429,
      'TooManyRequests',
      'Please retry again later.',
      undefined,
      { 'Retry-After': String(retryAfter), ...headers },
      {
        code: '429',
        message: 'Please retry after',
        status: '429',
      },
    ),
  // learn.microsoft.com/graph/errors: 503 serviceNotAvailable, 504 gatewayTimeout.
  unavailable: (retryAfter?: number) =>
    new GraphError(
      503,
      'ServiceNotAvailable',
      'The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, which may be specified in a Retry-After header.',
      undefined,
      retryAfter ? { 'Retry-After': String(retryAfter) } : {},
    ),
  gatewayTimeout: () =>
    new GraphError(
      504,
      'UnknownError',
      'The server, while acting as a proxy, did not receive a timely response from the upstream server it needed to access in attempting to complete the request.',
    ),
};
