// Which failures of an external call mean what. Each adapter knows its API best and may pass its own
// classifier; this default reads what most errors carry: an HTTP status, a Retry-After, a socket code,
// or the transport's TransientError / PermanentError.
import { PermanentError, TransientError } from '@lucy/messaging';

export type CallKind = 'read' | 'write';

export type FailureClass =
  /** 429: the API is alive but over budget. Everyone waits; the breaker does not count it. */
  | { kind: 'throttled'; retryAfterMs?: number }
  /** 5xx, timeout, connection refused/reset: the dependency is in trouble. Counts against the breaker. */
  | { kind: 'transient' }
  /** 4xx, invalid data: the request's fault. A bad student must not open the breaker. */
  | { kind: 'permanent' };

export type ErrorClassifier = (err: unknown) => FailureClass;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_CANCELED',
  'ESOCKETTIMEDOUT',
]);

export const defaultClassifier: ErrorClassifier = (err) => {
  const e = err as {
    status?: unknown;
    statusCode?: unknown;
    response?: { status?: unknown; headers?: Record<string, unknown> };
    retryAfterMs?: unknown;
    headers?: Record<string, unknown>;
    code?: unknown;
    name?: unknown;
  };
  const status = [e?.status, e?.statusCode, e?.response?.status].find((s): s is number => typeof s === 'number');
  if (status === 429) {
    const ms =
      typeof e.retryAfterMs === 'number'
        ? e.retryAfterMs
        : parseRetryAfter(headerOf(e.response?.headers ?? e.headers, 'retry-after'));
    return { kind: 'throttled', retryAfterMs: ms };
  }
  if (status !== undefined)
    return status >= 500 || status === 408
      ? { kind: 'transient' }
      : status >= 400
        ? { kind: 'permanent' }
        : { kind: 'transient' };
  if (err instanceof PermanentError) return { kind: 'permanent' };
  if (err instanceof TransientError) return { kind: 'transient' };
  if (typeof e?.code === 'string' && (NETWORK_CODES.has(e.code) || e.code.startsWith('UND_ERR')))
    return { kind: 'transient' };
  // Anything else (a bug, an unknown failure) is treated as the transport treats it: worth retrying.
  return { kind: 'transient' };
};

/** Retry-After as milliseconds: delta-seconds, fractional accepted ("2.128"), or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  if (text === '') return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): unknown {
  if (!headers) return undefined;
  const get = (headers as { get?: (n: string) => unknown }).get;
  if (typeof get === 'function') return get.call(headers, name);
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
