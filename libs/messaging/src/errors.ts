// The two kinds of failure a handler can have. The transport decides what to do with each:
// transient → retried with growing delays, then parked; permanent → parked at once with its reason.

/** Retrying cannot help: invalid data, a 400 from an API, a rule the domain refuses. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  constructor(
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Worth trying again later: a timeout, a 5xx, a 429, a dropped connection. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(
    message: string,
    readonly code?: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
  readonly retryAfterMs?: number;
}

export const isPermanent = (err: unknown): boolean => err instanceof PermanentError;

export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 2000);
  return String(err).slice(0, 2000);
}

/**
 * Not this message's fault, and not now: a dependency's circuit breaker is open, or its rate limit has no
 * slot soon enough. The transport sets the message aside for at least `delayMs` (the retry tier that
 * fits) WITHOUT counting an attempt, so waiting for a dependency never spends a message's retry budget.
 */
export class DeferError extends Error {
  override readonly name: string = 'DeferError';
  constructor(
    message: string,
    readonly delayMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isDeferral = (err: unknown): err is DeferError => err instanceof DeferError;

/**
 * The handler would have to wait (for a rate slot, a Retry-After) while it holds a database connection
 * and an open transaction. Thrown from inside the handler instead of waiting there: the transport undoes
 * the handler's work (its savepoint, its inbox claim), runs the queue's admission again — which does the
 * waiting, outside any transaction — and applies the message again. `detail` tells the admission what
 * the next attempt needs (e.g. more reserved calls). After a few rounds it is deferred like any DeferError.
 */
export class WaitOutsideError extends DeferError {
  override readonly name = 'WaitOutsideError';
  constructor(
    message: string,
    readonly detail?: unknown,
    delayMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, delayMs, options);
  }
}
