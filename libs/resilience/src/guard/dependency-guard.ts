// The one door to an external dependency: `await guard.call('write', (signal) => http.post(...))` is
// rate-limited (shared across replicas), honours 429s for every caller, and runs inside the dependency's
// circuit breaker with a timeout and a bound on concurrent calls.
import type CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import { Semaphore, TransientError, WaitOutsideError } from '@lucy/messaging';
import { defaultClassifier, type CallKind, type ErrorClassifier } from '../classify.js';
import {
  BreakerOpenError,
  createBreaker,
  isOpenRejection,
  isTimeout,
  stateOf,
  type Action,
  type BreakerOptions,
  type BreakerState,
} from '../breaker/breaker.js';
import type { ResilienceMetrics } from '../metrics.js';
import { RateLimitDeferral, type SharedRateLimiter } from '../rate/rate-limiter.js';
import { admittedTickets, outsideAdmission, Tickets, type CallBudget, type ReadmissionDetail } from './admission.js';

/**
 * Inside an admitted handler, a call with no reserved slot waits for one only this long; further away,
 * the handler goes back to its admission to wait there, without its transaction.
 */
const IN_TRANSACTION_GRACE_MS = 100;

export interface DependencyGuardOptions {
  /** The dependency: 'graph', 'moodle', 'smtp'. Names the breaker, the metrics and the events. */
  name: string;
  breaker: BreakerOptions;
  /** Absent: calls are not rate-limited (a dependency with no budget to respect). */
  limiter?: SharedRateLimiter;
  /** The adapter's knowledge of its API's errors; default: HTTP status, socket codes, Transient/PermanentError. */
  classify?: ErrorClassifier;
  /** A 429 is waited out and the call sent again this many times before its error is thrown. */
  maxThrottleRetries?: number;
  /**
   * A cheap call that tells whether the dependency is back, made when the breaker turns half-open. Without
   * one, the queues are resumed in half-open and the first message's call is the probe (deferred, not charged, if it fails).
   * It must call the API directly, not through this guard: the guard already runs it inside the breaker.
   */
  probe?: (signal: AbortSignal) => Promise<unknown>;
  metrics?: ResilienceMetrics;
  log?: Logger;
}

export type StateListener = (state: BreakerState, reason: string | undefined) => void;

export class DependencyGuard {
  readonly name: string;
  readonly limiter?: SharedRateLimiter;
  private readonly breaker: CircuitBreaker<[Action], unknown>;
  private readonly slots: Semaphore;
  private readonly classify: ErrorClassifier;
  private readonly maxThrottleRetries: number;
  private readonly listeners: StateListener[] = [];
  private lastFailure?: string;
  private stateSince = new Date();
  private resetting?: string;
  private probe?: (signal: AbortSignal) => Promise<unknown>;

  constructor(private readonly opts: DependencyGuardOptions) {
    this.name = opts.name;
    this.limiter = opts.limiter;
    this.classify = opts.classify ?? defaultClassifier;
    this.maxThrottleRetries = opts.maxThrottleRetries ?? 3;
    this.probe = opts.probe;
    this.slots = new Semaphore(opts.breaker.capacity);
    this.breaker = createBreaker(
      opts.name,
      opts.breaker,
      (err) => this.classify(err).kind === 'transient' || isTimeout(err),
    );
    this.breaker.on('failure', (err: Error) => (this.lastFailure = describe(err)));
    this.breaker.on('open', () => this.changed('open', this.resetting ?? this.lastFailure));
    this.breaker.on('halfOpen', () => {
      this.changed('half-open', undefined);
      // Its outcome moves the breaker. The timer that fires this may have started inside a handler: not its call.
      if (this.probe) void outsideAdmission(() => this.call('read', this.probe!)).catch(() => undefined);
    });
    this.breaker.on('close', () => this.changed('closed', this.resetting));
    this.setGauge('closed');
  }

  get state(): BreakerState {
    return stateOf(this.breaker);
  }

  get hasProbe(): boolean {
    return this.probe !== undefined;
  }

  /** For an adapter that builds its probe from the client the guard protects (constructed after it). */
  setProbe(probe: (signal: AbortSignal) => Promise<unknown>): void {
    this.probe = probe;
  }

  onStateChange(listener: StateListener): void {
    this.listeners.push(listener);
  }

  /**
   * A message's admission, before its transaction: the breaker must not be open (BreakerOpenError: the
   * message is set aside), and the calls its handler will make are reserved and waited for here (a
   * RateLimitDeferral when they are too far away). The handler, run inside the tickets (runAdmitted),
   * then spends them without waiting.
   */
  async admit(budget: CallBudget): Promise<Tickets> {
    if (this.breaker.opened) throw new BreakerOpenError(this.name);
    const kinds: CallKind[] = [
      ...Array<CallKind>(budget.write ?? 0).fill('write'),
      ...Array<CallKind>(budget.read ?? 0).fill('read'),
    ];
    const started = Date.now();
    if (this.limiter && kinds.length) await this.limiter.acquireMany(kinds);
    this.opts.metrics?.admissionWait.observe({ dependency: this.name }, (Date.now() - started) / 1000);
    if (this.breaker.opened) throw new BreakerOpenError(this.name); // it opened while we waited
    return new Tickets(budget, !this.limiter?.configured.writeRpm);
  }

  /** Runs one request to the dependency. `fn` gets a signal that aborts at the breaker's timeout. */
  async call<T>(kind: CallKind, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const m = this.opts.metrics;
    const tickets = admittedTickets(this.name);
    for (let throttles = 0; ; throttles++) {
      if (this.breaker.opened) {
        m?.calls.inc({ dependency: this.name, kind, outcome: 'short_circuited' });
        throw new BreakerOpenError(this.name);
      }
      const release = await this.slots.acquire();
      let probing = false;
      const writtenBefore = tickets?.wrote ?? false;
      try {
        const started = Date.now();
        if (tickets) await this.spend(tickets, kind);
        else await this.limiter?.acquire(kind);
        m?.rateWait.observe({ dependency: this.name, kind }, (Date.now() - started) / 1000);
        if (this.breaker.opened) throw new BreakerOpenError(this.name); // it opened while we waited for the slot
        probing = this.breaker.halfOpen;
        if (tickets && kind === 'write') tickets.wrote = true; // sent: it may take effect whatever the answer (a 429 says it did not)
        const out = (await this.breaker.fire(fn as Action)) as T;
        m?.calls.inc({ dependency: this.name, kind, outcome: 'success' });
        return out;
      } catch (err) {
        if (err instanceof RateLimitDeferral || err instanceof BreakerOpenError || err instanceof WaitOutsideError) {
          m?.calls.inc({
            dependency: this.name,
            kind,
            outcome: err instanceof BreakerOpenError ? 'short_circuited' : 'deferred',
          });
          throw err;
        }
        // Open, or half-open with its one probe already out: not this message's fault.
        if (isOpenRejection(err)) {
          m?.calls.inc({ dependency: this.name, kind, outcome: 'short_circuited' });
          throw new BreakerOpenError(this.name);
        }
        const c = isTimeout(err) ? ({ kind: 'transient' } as const) : this.classify(err);
        // The half-open probe failed: the breaker opens again, and the message that carried the probe is
        // deferred like those that arrive while it is open — waiting for a dependency costs no attempt.
        if (probing && c.kind === 'transient') {
          m?.calls.inc({ dependency: this.name, kind, outcome: 'short_circuited' });
          throw new BreakerOpenError(this.name, undefined, err);
        }
        if (isTimeout(err)) {
          m?.calls.inc({ dependency: this.name, kind, outcome: 'timeout' });
          throw new TransientError(
            `${this.name} did not answer within ${this.opts.breaker.timeoutMs} ms`,
            `${this.name}-timeout`,
            { cause: err },
          );
        }
        m?.calls.inc({ dependency: this.name, kind, outcome: c.kind });
        if (c.kind !== 'throttled') throw err;
        m?.throttled.inc({ dependency: this.name });
        if (tickets && kind === 'write' && !writtenBefore) tickets.wrote = false; // 429: this write was not processed
        const t = await this.limiter?.throttled(c.retryAfterMs);
        // In an admitted handler the Retry-After is waited out by the admission, not with a transaction open.
        if (tickets && t && !tickets.wrote)
          throw this.waitOutside(
            `${this.name}: 429, every caller waits ${Math.round(t.waitMs)} ms`,
            tickets.next(),
            t.waitMs,
            err,
          );
        // 429 means the request was not processed: sending it again after the pause is safe.
        if (throttles >= this.maxThrottleRetries || !this.limiter) throw err;
      } finally {
        release();
      }
    }
  }

  /**
   * A call of an admitted handler: a reserved slot, unless a 429 pause began since the admission; a slot
   * due within a moment; otherwise back to the admission (WaitOutsideError) with one more call reserved.
   */
  private async spend(tickets: Tickets, kind: CallKind): Promise<void> {
    const limiter = this.limiter;
    if (!limiter) return;
    if (tickets.take(kind)) {
      const paused = await limiter.pausedFor();
      if (paused <= 0) return;
      if (!tickets.wrote)
        throw this.waitOutside(
          `${this.name}: a 429 pause began since the admission (${Math.round(paused)} ms left)`,
          tickets.next(),
          paused,
        );
      await limiter.waitOutPause(); // after a write of its own: the pause is waited out here
      return;
    }
    if (await limiter.tryAcquire(kind, IN_TRANSACTION_GRACE_MS)) return tickets.spentUnreserved(kind);
    if (!tickets.wrote)
      throw this.waitOutside(
        `${this.name}: one ${kind} more than the admission reserved, and no slot due now`,
        tickets.next(kind),
      );
    // After a write of its own the handler must not start over: it waits here, holding its transaction.
    this.opts.log?.warn(
      { dependency: this.name, kind },
      'a call past the admission after a write waits inside its transaction: declare more calls for this message type',
    );
    await limiter.acquire(kind);
    tickets.spentUnreserved(kind);
  }

  private waitOutside(message: string, budget: CallBudget, delayMs?: number, cause?: unknown): WaitOutsideError {
    const detail: ReadmissionDetail = { dependency: this.name, budget };
    return new WaitOutsideError(message, detail, delayMs, cause === undefined ? undefined : { cause });
  }

  /** An operator closes the breaker (ReiniciarBreaker). False when it was closed already. */
  reset(reason = 'reset by operator'): boolean {
    if (this.state === 'closed') return false;
    this.resetting = reason;
    try {
      this.breaker.close();
    } finally {
      this.resetting = undefined;
    }
    return true;
  }

  describe() {
    const s = this.breaker.stats;
    return {
      state: this.state,
      since: this.stateSince.toISOString(),
      lastFailure: this.lastFailure ?? null,
      inFlight: this.slots.inUse,
      waiting: this.slots.queued,
      window: {
        fires: s.fires,
        failures: s.failures,
        timeouts: s.timeouts,
        rejects: s.rejects,
        successes: s.successes,
      },
    };
  }

  /** Stops the breaker's timers (service shutdown). */
  shutdown(): void {
    this.breaker.shutdown();
  }

  private changed(state: BreakerState, reason: string | undefined): void {
    this.stateSince = new Date();
    this.setGauge(state);
    this.opts.metrics?.breakerTransitions.inc({ dependency: this.name, to: state });
    const log = this.opts.log;
    if (state === 'open') log?.warn({ dependency: this.name, reason }, 'circuit breaker open');
    else log?.info({ dependency: this.name, reason }, `circuit breaker ${state}`);
    for (const l of this.listeners) {
      try {
        l(state, reason);
      } catch (err) {
        log?.error({ dependency: this.name, err: describe(err) }, 'breaker state listener failed');
      }
    }
  }

  private setGauge(state: BreakerState): void {
    for (const s of ['closed', 'open', 'half-open'] as const)
      this.opts.metrics?.breakerState.set({ dependency: this.name, state: s }, s === state ? 1 : 0);
  }
}

function describe(err: unknown): string {
  return (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500);
}
