// One opossum circuit breaker per external dependency, and what its states mean to us.
import CircuitBreaker from 'opossum';
import { DeferError } from '@lucy/messaging';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** A call that takes longer fails (and counts): set it above the adapter's own HTTP timeout. */
  timeoutMs: number;
  /** Calls to the dependency at once; more wait their turn (guard) — opossum's capacity is the backstop. */
  capacity: number;
  /** Calls in the rolling window before the error rate can open the breaker. */
  volumeThreshold: number;
  /** Share of failed calls (transient failures only) in the rolling window that opens it. */
  errorThresholdPercentage: number;
  /** Time open before one probe is let through (half-open). */
  resetTimeoutMs: number;
  /** The rolling window the error rate is measured over. */
  rollingCountTimeoutMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  timeoutMs: 15_000,
  capacity: 10,
  volumeThreshold: 5,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 30_000,
  rollingCountTimeoutMs: 10_000,
};

/** The dependency's breaker is open: the message waits in RabbitMQ, its attempt not counted. */
export class BreakerOpenError extends DeferError {
  override readonly name = 'BreakerOpenError';
  constructor(
    readonly dependency: string,
    delayMs?: number,
    cause?: unknown,
  ) {
    super(`circuit breaker for ${dependency} is open`, delayMs, cause === undefined ? undefined : { cause });
  }
}

export type Action = (signal: AbortSignal) => Promise<unknown>;

export function createBreaker(
  name: string,
  opts: BreakerOptions,
  countsAsFailure: (err: unknown) => boolean,
): CircuitBreaker<[Action], unknown> {
  return new CircuitBreaker<[Action], unknown>(
    // Each call gets its own deadline signal: opossum's shared abortController would cancel every call
    // in flight when one of them times out.
    (fn: Action) => fn(AbortSignal.timeout(opts.timeoutMs)),
    {
      name,
      timeout: opts.timeoutMs,
      capacity: opts.capacity,
      volumeThreshold: opts.volumeThreshold,
      errorThresholdPercentage: opts.errorThresholdPercentage,
      resetTimeout: opts.resetTimeoutMs,
      rollingCountTimeout: opts.rollingCountTimeoutMs,
      // errorFilter: true means "not a failure" — permanent 4xx and 429s do not open the breaker.
      errorFilter: (err: unknown) => !countsAsFailure(err),
    },
  );
}

export function stateOf(b: CircuitBreaker<[Action], unknown>): BreakerState {
  return b.opened ? 'open' : b.halfOpen ? 'half-open' : 'closed';
}

export const isOpenRejection = (err: unknown) => (err as { code?: string })?.code === 'EOPENBREAKER';
export const isTimeout = (err: unknown) =>
  (err as { code?: string })?.code === 'ETIMEDOUT' && CircuitBreaker.isOurError(err as Error);
