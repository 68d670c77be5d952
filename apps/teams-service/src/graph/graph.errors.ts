// Microsoft Graph's failures → our TransientError / PermanentError, in one place.
//
// Graph answers errors as {"error":{"code","message","innerError":{"request-id",...},"details"?}}
// (learn.microsoft.com/graph/errors). 429 and 5xx carry Retry-After in seconds, sometimes fractional
// ("2.128"), or an HTTP date. 400/403/404 are the caller's fault and retrying cannot help, except where
// Entra's directory replication lags behind a write we just made: for a few seconds after a user is
// created, reads and actions on it may answer 404 Request_ResourceNotFound, and assignLicense right after
// usageLocation was set may answer 400 "invalid usage location". Those are transient — but only when the
// caller says the object was just written, so a real 404 is not retried for minutes.
import { PermanentError, TransientError } from '@lucy/messaging';
import { defaultClassifier, type ErrorClassifier } from '@lucy/resilience';

export interface GraphErrorDetail {
  code?: string;
  message?: string;
  target?: string;
}

/** What Graph said when it refused a request: status, its error code and message, the request id to quote to Microsoft. */
export class GraphHttpError extends Error {
  override readonly name = 'GraphHttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly retryAfterMs: number | undefined,
    readonly details: GraphErrorDetail[] = [],
  ) {
    super(message);
  }

  /** For an operator: "Graph 404 Request_ResourceNotFound: ... (request-id ...)". Never holds the request body. */
  describe(): string {
    return `Graph ${this.status} ${this.code}: ${this.message}${this.requestId ? ` (request-id ${this.requestId})` : ''}`;
  }
}

/** Builds the error from an answer Graph gave (any body; a proxy may answer HTML). */
export function graphHttpError(status: number, headers: Record<string, unknown>, body: unknown): GraphHttpError {
  const err = (
    body as
      | { error?: { code?: unknown; message?: unknown; details?: unknown; innerError?: Record<string, unknown> } }
      | undefined
  )?.error;
  const code = typeof err?.code === 'string' ? err.code : `HTTP${status}`;
  const message = typeof err?.message === 'string' ? err.message.slice(0, 500) : `HTTP ${status}`;
  const requestId =
    header(headers, 'request-id') ??
    (typeof err?.innerError?.['request-id'] === 'string' ? (err.innerError['request-id'] as string) : undefined);
  const details = Array.isArray(err?.details) ? (err.details as GraphErrorDetail[]) : [];
  return new GraphHttpError(status, code, message, requestId, parseRetryAfter(header(headers, 'retry-after')), details);
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : headers[key];
  return v === undefined || v === null ? undefined : String(v);
}

/** Retry-After as milliseconds: delta-seconds (possibly fractional) or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** POST /users for a UPN that is taken: 400 with an ObjectConflict detail on userPrincipalName. */
export function isDuplicateUpn(e: unknown): e is GraphHttpError {
  if (!(e instanceof GraphHttpError) || e.status !== 400) return false;
  if (e.details.some((d) => d.code === 'ObjectConflict' && (d.target ?? '').toLowerCase() === 'userprincipalname'))
    return true;
  // The 2018 capture carries the same message with a bare detail; match the message as a fallback.
  return /another object with the same value for property userPrincipalName already exists/i.test(e.message);
}

/** The id of the user a conflict points at: the ConflictingObjects detail's target "User_<id>", when present. */
export function conflictingUserId(e: GraphHttpError): string | undefined {
  const target = e.details.find((d) => d.code === 'ConflictingObjects')?.target;
  const m = target ? /^User_([0-9a-f-]{36})$/i.exec(target) : null;
  return m?.[1];
}

/**
 * Graph no longer knows a delta link: 400 syncStateNotFound once it is older than seven days (Microsoft 365
 * Developer Blog, "Duration of change tracking tokens for identity and education resources"), or 410 Gone
 * with resyncRequired when the tenant's sync state was reset ("Synchronization reset",
 * learn.microsoft.com/graph/delta-query-overview). Either way the only way on is a full round. Older
 * captures spell the code SyncStateNotFound.
 */
export function isDeltaResyncRequired(e: unknown): e is GraphHttpError {
  if (!(e instanceof GraphHttpError)) return false;
  return e.status === 410 || (e.status === 400 && /^(syncStateNotFound|resyncRequired)$/i.test(e.code));
}

export interface ClassifyOptions {
  /** The object was created or changed by us moments ago: a 404 or a usage-location refusal may be replication lag. */
  justWritten?: boolean;
}

const USAGE_LOCATION = /invalid usage location/i;

/** The one decision about retrying a Graph failure. */
export function classifyGraphError(e: GraphHttpError, opts: ClassifyOptions = {}): TransientError | PermanentError {
  const reason = e.describe();
  if (e.status === 429 || e.status >= 500 || e.status === 408)
    return new TransientError(reason, e.code, { retryAfterMs: e.retryAfterMs });
  // A token Graph does not accept after one forced renewal: our credentials or clock, not the message.
  if (e.status === 401) return new TransientError(reason, 'graph-auth');
  if (opts.justWritten && e.status === 404 && e.code === 'Request_ResourceNotFound')
    return new TransientError(`${reason} (just written: replication lag)`, e.code);
  if (opts.justWritten && e.status === 400 && USAGE_LOCATION.test(e.message))
    return new TransientError(`${reason} (usageLocation just set: replication lag)`, e.code);
  return new PermanentError(reason, e.code);
}

/** A request that got no answer: refused, reset, timed out, TLS not trusted. Always worth another try later. */
export function transportError(err: unknown, timeoutMs: number): TransientError {
  const code = (err as { code?: string })?.code ?? 'unknown';
  const timedOut =
    code === 'ECONNABORTED' ||
    code === 'ETIMEDOUT' ||
    code === 'ERR_CANCELED' ||
    (err as Error)?.name === 'AbortError' ||
    (err as Error)?.name === 'TimeoutError';
  if (timedOut) return new TransientError(`Graph did not answer within ${timeoutMs} ms`, 'graph-timeout');
  return new TransientError(
    `Graph unreachable: ${code} ${(err as Error)?.message ?? ''}`.trim().slice(0, 500),
    'graph-unreachable',
  );
}

/**
 * MSAL could not get a token. Even a rejected secret (AADSTS7000215) is transient: it concerns the
 * service, not the message, and parking every student for it would turn one expired secret into a
 * failed batch; retried, the messages wait for an operator (and, later, a circuit breaker pauses the queue).
 */
export function tokenError(err: unknown): TransientError {
  const e = err as { errorCode?: string; errorMessage?: string; message?: string };
  const text = (e?.errorMessage || e?.message || String(err)).split(/\r?\n/)[0].slice(0, 500);
  const code = e?.errorCode === 'network_error' ? 'graph-unreachable' : 'graph-auth';
  return new TransientError(`no Graph token: ${e?.errorCode ? `${e.errorCode}: ` : ''}${text}`, code);
}

/**
 * What a failed request says about Graph itself, for the guard (libs/resilience): 429 is throttling
 * (everyone waits its Retry-After), 5xx/408 and no answer are Graph in trouble (they count against the
 * breaker), and every other 4xx is about the request — including the replication-lag 404/400 that
 * classifyGraphError retries when the object was just written: Graph answered, so it is up.
 */
export const graphClassifier: ErrorClassifier = (err) => {
  if (err instanceof GraphHttpError) {
    if (err.status === 429) return { kind: 'throttled', retryAfterMs: err.retryAfterMs };
    return err.status >= 500 || err.status === 408 ? { kind: 'transient' } : { kind: 'permanent' };
  }
  return defaultClassifier(err);
};
