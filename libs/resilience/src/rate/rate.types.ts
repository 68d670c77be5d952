// The rate limiter's vocabulary, shared by the Redis store and the in-process fallback.

/** Requests per minute for one external API. Writes are budgeted on top of the total when writeRpm is set. */
export interface RateLimits {
  rpm: number;
  /** Writes per minute (Entra counts writes against their own quota); null/undefined: no write budget. */
  writeRpm?: number | null;
}

/**
 * After repeated 429s the rate steps down (×decreaseFactor); once they stop — recoveryDelayMs without
 * one — it climbs back by doubling (×2 every recoveryDoublingMs, up to the configured rate). Recovery is
 * multiplicative, not AIMD's additive 10 % a minute: from the floor (10 %) the rate is back at R in
 * 20 s + log2(10) ≈ 3.3 doublings (≈ 86 s by default) instead of ~20 minutes at a fraction of R after the
 * API has stopped complaining. Every 429 re-anchors the recovery, so while they keep coming (closer than
 * recoveryDelayMs) the rate does not climb, and every strikesToDecrease-th episode steps it down again.
 */
export interface AimdOptions {
  /** A new 429 episode (one after the previous pause ended) within this window counts as a repeat. */
  strikeWindowMs: number;
  /** Every this many repeated episodes, the rate is multiplied by decreaseFactor. */
  strikesToDecrease: number;
  decreaseFactor: number;
  /** Never below this share of the configured rate. */
  minFactor: number;
  /** Recovery starts this long after the last 429 ... */
  recoveryDelayMs: number;
  /** ... and doubles the factor every this long from then on. */
  recoveryDoublingMs: number;
}

/** Wait after a 429 that carries no Retry-After: base × 2^(repeats), capped. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_AIMD: AimdOptions = {
  strikeWindowMs: 60_000,
  strikesToDecrease: 2,
  decreaseFactor: 0.5,
  minFactor: 0.1,
  recoveryDelayMs: 20_000,
  recoveryDoublingMs: 20_000,
};
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };

export interface Reservation {
  /** True when a slot was taken; false when the next one is further than maxWaitMs away. */
  granted: boolean;
  waitMs: number;
  /** The rates in force (configured or changed at runtime, times the AIMD factor). */
  rpm: number;
  writeRpm: number | null;
  factor: number;
  /** The store's clock when the slot was taken (Redis TIME, or this process's): the slot is at now + waitMs. */
  now: number;
}

/** What a caller checks when it wakes for its slot, in the store's clock. */
export interface Wake {
  pausedForMs: number;
  now: number;
}

export interface ThrottleOutcome {
  /** How long every caller now waits (from the moment the store learned of the 429). */
  waitMs: number;
  factor: number;
  decreased: boolean;
  /** False when this 429 belongs to an episode already being waited out (sent before the pause began). */
  newEpisode: boolean;
}

export interface RateSnapshot {
  limits: RateLimits;
  /** True when the limits come from a runtime change rather than the configuration. */
  changedAtRuntime: boolean;
  factor: number;
  pausedForMs: number;
}

/** Where the limiter keeps its state: Redis (shared by every replica) or this process (fallback). */
export interface RateStore {
  /** `burst`: calls an idle budget may send beyond the spacing (GCRA's τ = burst · 60/rpm s); 0 by default. */
  reserve(
    defaults: RateLimits,
    write: boolean,
    maxWaitMs: number,
    aimd: AimdOptions,
    burst?: number,
  ): Promise<Reservation>;
  /** Milliseconds left of a 429 pause, 0 when none. */
  pausedFor(): Promise<number>;
  /** The 429 pause left and the store's clock now (to tell how late a caller woke for its slot). */
  wake(): Promise<Wake>;
  throttled(retryAfterMs: number | undefined, aimd: AimdOptions, backoff: BackoffOptions): Promise<ThrottleOutcome>;
  /** A runtime change of the limits; null returns to the configured ones. */
  setLimits(limits: RateLimits | null): Promise<void>;
  snapshot(defaults: RateLimits, aimd: AimdOptions): Promise<RateSnapshot>;
}

/** The factor `stored` at the last 429 (`since`), recovered until `now`; 1 when none is stored. */
export function recoveredFactor(
  stored: number | undefined,
  since: number,
  now: number,
  aimd: Pick<AimdOptions, 'recoveryDelayMs' | 'recoveryDoublingMs'>,
): number {
  if (stored === undefined) return 1;
  return Math.min(1, stored * 2 ** (Math.max(0, now - since - aimd.recoveryDelayMs) / aimd.recoveryDoublingMs));
}
