// Requests per minute to one external API, shared by every replica through Redis, honouring 429s.
//
// If Redis cannot be reached the limiter falls back to a limiter in this process at rate / replicas
// (RATE_LIMIT_REPLICAS): the API keeps being called within its budget as long as no more replicas run than
// configured, and a 429 still pauses this process. We do not block instead: Redis shares the budget
// fairly, it is not what protects the API (the API's own 429s, which we honour, do that), and blocking
// would turn a Redis outage into an onboarding outage. The fallback is visible (health, metrics, a log
// line) and Redis is tried again on every call, so the limiter goes back to it by itself.
import type { Logger } from 'pino';
import { DeferError } from '@lucy/messaging';
import type { CallKind } from '../classify.js';
import { LocalRateStore } from './local-rate.store.js';
import {
  DEFAULT_AIMD,
  DEFAULT_BACKOFF,
  type AimdOptions,
  type BackoffOptions,
  type RateLimits,
  type RateSnapshot,
  type RateStore,
  type Reservation,
  type ThrottleOutcome,
  type Wake,
} from './rate.types.js';

export interface RateLimiterOptions {
  /** The external API ('graph'): every limiter with the same api and Redis shares one budget. */
  api: string;
  limits: RateLimits;
  /** A call that would wait longer than this for its slot is deferred instead (DeferError). */
  maxWaitMs?: number;
  /** Replicas expected; the fallback limiter takes 1/replicas of the rate. */
  replicas?: number;
  aimd?: Partial<AimdOptions>;
  backoff?: Partial<BackoffOptions>;
  /** How late past its slot a waking caller may still go (at least half an interval); default 200 ms. */
  lateToleranceMs?: number;
  /**
   * Calls an idle budget may send at once beyond the spacing (GCRA's τ = burst · 60/rpm s; gcra.lua.ts),
   * per budget (all, writes); default 0. Any window of W s then holds at most R·W/60 + burst slots
   * (window-bound.ts): keep R·W/60 + burst + the late tolerance's calls under the API's quota.
   */
  burst?: number;
}

export interface RateLimiterHooks {
  onWait?(kind: CallKind, waitMs: number): void;
  onReservation?(r: Reservation): void;
  onThrottled?(t: ThrottleOutcome): void;
  onBackend?(backend: 'redis' | 'local'): void;
}

export type RateBackend = 'redis' | 'local';

/** The next slot is too far away: the message waits in RabbitMQ instead of in a handler. */
export class RateLimitDeferral extends DeferError {
  override readonly name = 'RateLimitDeferral';
}

/** See wokeLate: a few calls of overshoot at most, not a slot lost to every busy tick of the event loop. */
export const DEFAULT_LATE_TOLERANCE_MS = 200;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SharedRateLimiter {
  readonly api: string;
  private defaults: RateLimits;
  private readonly local: LocalRateStore;
  private readonly aimd: AimdOptions;
  private readonly backoff: BackoffOptions;
  private readonly maxWaitMs: number;
  private readonly lateToleranceMs: number;
  private readonly burst: number;
  private backendNow: RateBackend;

  constructor(
    opts: RateLimiterOptions,
    private readonly shared: RateStore | undefined,
    private readonly log?: Logger,
    private readonly hooks: RateLimiterHooks = {},
  ) {
    this.api = opts.api;
    this.defaults = { ...opts.limits };
    this.local = new LocalRateStore(Math.max(1, opts.replicas ?? 1));
    this.aimd = { ...DEFAULT_AIMD, ...opts.aimd };
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.maxWaitMs = opts.maxWaitMs ?? 30_000;
    this.lateToleranceMs = opts.lateToleranceMs ?? DEFAULT_LATE_TOLERANCE_MS;
    this.burst = Math.max(0, Math.floor(opts.burst ?? 0));
    this.backendNow = shared ? 'redis' : 'local';
  }

  get backend(): RateBackend {
    return this.backendNow;
  }

  /** Waits for this call's slot (and any 429 pause). Throws RateLimitDeferral when it is too far away. */
  async acquire(kind: CallKind): Promise<void> {
    for (let retaken = false; ;) {
      const r = await this.reserveOne(kind);
      if (r.waitMs <= 0) return;
      const backend = this.backendNow;
      await sleep(r.waitMs);
      // A 429 may have arrived (here or at another replica) while we slept: honour it, then take a slot
      // after it, so the callers it held do not all go at its end.
      const w = await this.use((s) => s.wake());
      if (w.pausedForMs > 0) {
        await sleep(w.pausedForMs);
        continue;
      }
      if (retaken || !this.wokeLate(kind, r, w, backend)) return;
      retaken = true;
    }
  }

  /**
   * Reserves one slot per call, then waits until the last of them is due (and any 429 pause is over): the
   * calls may then go at once. A message's admission uses it to wait for all its calls before its
   * transaction opens. Throws RateLimitDeferral when a slot is more than maxWaitMs away (the slots already
   * reserved are spent: a few idle slots, not a wait with a connection held).
   */
  async acquireMany(kinds: readonly CallKind[]): Promise<void> {
    for (let retaken = false; ; retaken = true) {
      let latest: { kind: CallKind; r: Reservation } | undefined;
      for (const kind of kinds) {
        const r = await this.reserveOne(kind);
        if (!latest || r.waitMs >= latest.r.waitMs) latest = { kind, r };
      }
      if (!latest || latest.r.waitMs <= 0) return;
      const backend = this.backendNow;
      await sleep(latest.r.waitMs);
      // A 429 may have arrived (here or at another replica) while we slept: honour it before sending.
      const w = await this.use((s) => s.wake());
      if (w.pausedForMs > 0) return this.waitOutPause();
      if (retaken || !this.wokeLate(latest.kind, latest.r, w, backend)) return;
    }
  }

  /**
   * A slot says when a call may go, not that it goes then: a caller whose timer fired late — a stalled
   * event loop (a long GC pause, a CPU-bound stretch of the replica) — would go together with every other
   * caller the stall held, and the window after it would hold their calls on top of its own slots. So a
   * caller that finds, when it wakes, its slot more than the late tolerance past takes a new one: the calls
   * that go are then at most that late, and any window holds at most ⌈tolerance / T⌉ + 1 calls more than
   * its slots. The tolerance is half an interval, but never less than lateToleranceMs (200 ms): a loaded
   * machine's timers are tens of milliseconds late all the time, and each retake spends a slot no call
   * uses (at 1,200/min, T/2 = 25 ms cost 9% of the rate on a busy CI machine). Only once: under a lag that
   * lasts, every caller is late by about as much, which spaces the calls as well as being on time does, and
   * retaking again and again could starve them.
   */
  private wokeLate(kind: CallKind, r: Reservation, w: Wake, reservedOn: RateBackend): boolean {
    if (this.backendNow !== reservedOn) return false; // two clocks (Redis's, this process's): not comparable
    const rpm = kind === 'write' && r.writeRpm !== null ? Math.min(r.rpm, r.writeRpm) : r.rpm;
    return w.now - (r.now + r.waitMs) > Math.max(30_000 / rpm, this.lateToleranceMs);
  }

  /** One slot of this kind, within maxWaitMs; RateLimitDeferral when it is further away. */
  private async reserveOne(kind: CallKind): Promise<Reservation> {
    const r = await this.use((s) => s.reserve(this.defaults, kind === 'write', this.maxWaitMs, this.aimd, this.burst));
    this.hooks.onReservation?.(r);
    if (!r.granted) {
      throw new RateLimitDeferral(
        `${this.api}: rate limit (${Math.round(r.rpm)}/min) has no slot within ${this.maxWaitMs} ms`,
        r.waitMs,
      );
    }
    this.hooks.onWait?.(kind, r.waitMs);
    return r;
  }

  /** Until no 429 pause is in force (at any replica). */
  async waitOutPause(): Promise<void> {
    for (let paused = await this.pausedFor(); paused > 0; paused = await this.pausedFor()) await sleep(paused);
  }

  /** A slot only if it is due within graceMs (then waited for); false, with nothing reserved, otherwise. */
  async tryAcquire(kind: CallKind, graceMs: number): Promise<boolean> {
    const r = await this.use((s) => s.reserve(this.defaults, kind === 'write', graceMs, this.aimd, this.burst));
    this.hooks.onReservation?.(r);
    if (!r.granted) return false;
    this.hooks.onWait?.(kind, r.waitMs);
    if (r.waitMs > 0) await sleep(r.waitMs);
    return true;
  }

  /** Milliseconds left of a 429 pause (every replica's), 0 when none. */
  pausedFor(): Promise<number> {
    return this.use((s) => s.pausedFor());
  }

  /** The API answered 429: every caller waits retryAfterMs (or a growing backoff), the rate may step down. */
  async throttled(retryAfterMs: number | undefined): Promise<ThrottleOutcome> {
    const t = await this.use((s) => s.throttled(retryAfterMs, this.aimd, this.backoff));
    if (this.backendNow === 'redis') await this.local.throttled(retryAfterMs, this.aimd, this.backoff); // so a fallback starts paused too
    this.hooks.onThrottled?.(t);
    this.log?.warn(
      {
        api: this.api,
        retryAfterMs: retryAfterMs ?? null,
        waitMs: Math.round(t.waitMs),
        factor: t.factor,
        decreased: t.decreased,
      },
      t.decreased ? '429: everyone waits, rate stepped down' : '429: everyone waits',
    );
    return t;
  }

  /** A runtime change (LimitesCambiados): written to Redis, so every replica applies it on its next call. */
  async setLimits(limits: RateLimits | null): Promise<void> {
    await this.local.setLimits(limits);
    if (this.shared) await this.shared.setLimits(limits);
    this.log?.info(
      { api: this.api, limits: limits ?? this.defaults },
      limits ? 'rate limits changed at runtime' : 'rate limits back to the configured ones',
    );
  }

  /** The configured limits (what applies when no runtime change is in force). */
  configure(limits: RateLimits): void {
    this.defaults = { ...limits };
  }

  get configured(): RateLimits {
    return { ...this.defaults };
  }

  async snapshot(): Promise<RateSnapshot & { backend: RateBackend }> {
    const s = await this.use((st) => st.snapshot(this.defaults, this.aimd));
    return { ...s, backend: this.backendNow };
  }

  private async use<T>(op: (store: RateStore) => Promise<T>): Promise<T> {
    if (this.shared) {
      try {
        const out = await op(this.shared);
        this.switchTo('redis');
        return out;
      } catch (err) {
        this.switchTo('local', err);
      }
    }
    return op(this.local);
  }

  private switchTo(backend: RateBackend, err?: unknown): void {
    if (this.backendNow === backend) return;
    this.backendNow = backend;
    this.hooks.onBackend?.(backend);
    if (backend === 'local')
      this.log?.warn(
        { api: this.api, err: (err as Error)?.message },
        'Redis unreachable: rate limiting in this process at rate / replicas',
      );
    else this.log?.info({ api: this.api }, 'Redis reachable again: rate limit shared by every replica');
  }
}
