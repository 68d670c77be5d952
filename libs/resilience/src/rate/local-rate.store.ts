// The limiter's state in this process: the fallback while Redis is unreachable, and the reference for
// the algorithm the Redis script implements (gcra.lua.ts) — the same steps, in the same order.
import {
  recoveredFactor,
  type AimdOptions,
  type BackoffOptions,
  type RateLimits,
  type RateSnapshot,
  type RateStore,
  type Reservation,
  type ThrottleOutcome,
  type Wake,
} from './rate.types.js';

export class LocalRateStore implements RateStore {
  private tatAll = 0;
  private tatWrite = 0;
  private pause = 0;
  private factor?: number;
  private since = 0;
  private strikes = 0;
  private lastStrike = 0;
  private override: RateLimits | null = null;

  /** `share` divides the rates: with N replicas each falling back alone, each takes 1/N of the budget. */
  constructor(
    private readonly share = 1,
    private readonly clock: () => number = Date.now,
  ) {}

  private limits(defaults: RateLimits): RateLimits {
    return this.override ?? defaults;
  }

  private effectiveFactor(now: number, aimd: AimdOptions): number {
    return recoveredFactor(this.factor, this.since, now, aimd);
  }

  async reserve(
    defaults: RateLimits,
    write: boolean,
    maxWaitMs: number,
    aimd: AimdOptions,
    burst = 0,
  ): Promise<Reservation> {
    const now = this.clock();
    const { rpm, writeRpm } = this.limits(defaults);
    const f = this.effectiveFactor(now, aimd);
    const all = (rpm * f) / this.share;
    const writes = writeRpm ? (writeRpm * f) / this.share : null;
    const useWrite = write && writes !== null;
    // The burst tolerance τ = burst · T (gcra.lua.ts): none while a 429 pause is in force. Shared like the
    // rate, so N replicas falling back together still allow `burst` calls beyond the spacing in all.
    const b = this.pause > now ? 0 : burst / this.share;
    let slot = Math.max(now, this.pause, this.tatAll - (b * 60_000) / all);
    if (useWrite) slot = Math.max(slot, this.tatWrite - (b * 60_000) / writes!);
    const waitMs = slot - now;
    const out = { rpm: all, writeRpm: writes, factor: f, now };
    if (waitMs > maxWaitMs) return { granted: false, waitMs, ...out };
    this.tatAll = Math.max(this.tatAll, slot) + 60_000 / all;
    if (useWrite) this.tatWrite = Math.max(this.tatWrite, slot) + 60_000 / writes!;
    return { granted: true, waitMs, ...out };
  }

  async pausedFor(): Promise<number> {
    return Math.max(0, this.pause - this.clock());
  }

  async wake(): Promise<Wake> {
    const now = this.clock();
    return { pausedForMs: Math.max(0, this.pause - now), now };
  }

  async throttled(
    retryAfterMs: number | undefined,
    aimd: AimdOptions,
    backoff: BackoffOptions,
  ): Promise<ThrottleOutcome> {
    const now = this.clock();
    let f = this.effectiveFactor(now, aimd);
    // Recovery starts again from the last 429: while they keep coming the rate does not climb.
    if (this.factor !== undefined) {
      this.factor = f;
      this.since = now;
    }
    // A 429 that arrives while a pause is in force was sent before it began: same episode.
    if (now < this.pause) {
      if (retryAfterMs !== undefined) this.pause = Math.max(this.pause, now + retryAfterMs);
      return { waitMs: this.pause - now, factor: f, decreased: false, newEpisode: false };
    }
    if (now - this.lastStrike > aimd.strikeWindowMs) this.strikes = 0;
    this.strikes += 1;
    this.lastStrike = now;
    const waitMs = retryAfterMs ?? Math.min(backoff.maxMs, backoff.baseMs * 2 ** (this.strikes - 1));
    this.pause = Math.max(this.pause, now + waitMs);
    const decreased = this.strikes % aimd.strikesToDecrease === 0;
    if (decreased) {
      f = Math.max(aimd.minFactor, f * aimd.decreaseFactor);
      this.factor = f;
      this.since = now;
    }
    return { waitMs, factor: f, decreased, newEpisode: true };
  }

  async setLimits(limits: RateLimits | null): Promise<void> {
    this.override = limits;
  }

  async snapshot(defaults: RateLimits, aimd: AimdOptions): Promise<RateSnapshot> {
    const now = this.clock();
    return {
      limits: this.limits(defaults),
      changedAtRuntime: this.override !== null,
      factor: this.effectiveFactor(now, aimd),
      pausedForMs: Math.max(0, this.pause - now),
    };
  }
}
