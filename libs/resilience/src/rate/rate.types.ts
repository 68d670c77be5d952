// The rate limiter's vocabulary, shared by the Redis store and the in-process fallback.

/** Requests per minute for one external API. Writes are budgeted on top of the total when writeRpm is set. */
export interface RateLimits {
  rpm: number;
  /** Writes per minute (Entra counts writes against their own quota); null/undefined: no write budget. */
  writeRpm?: number | null;
}

/** After repeated 429s the rate steps down, then recovers linearly (AIMD). */
export interface AimdOptions {
  /** A new 429 episode (one after the previous pause ended) within this window counts as a repeat. */
  strikeWindowMs: number;
  /** Every this many repeated episodes, the rate is multiplied by decreaseFactor. */
  strikesToDecrease: number;
  decreaseFactor: number;
  /** Never below this share of the configured rate. */
  minFactor: number;
  /** Share of the configured rate regained per minute without a new decrease. */
  recoveryPerMinute: number;
}

/** Wait after a 429 that carries no Retry-After: base × 2^(repeats), capped. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_AIMD: AimdOptions = { strikeWindowMs: 60_000, strikesToDecrease: 2, decreaseFactor: 0.5, minFactor: 0.1, recoveryPerMinute: 0.1 };
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };

export interface Reservation {
  /** True when a slot was taken; false when the next one is further than maxWaitMs away. */
  granted: boolean;
  waitMs: number;
  /** The rates in force (configured or changed at runtime, times the AIMD factor). */
  rpm: number;
  writeRpm: number | null;
  factor: number;
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
  reserve(defaults: RateLimits, write: boolean, maxWaitMs: number, aimd: AimdOptions): Promise<Reservation>;
  /** Milliseconds left of a 429 pause, 0 when none. */
  pausedFor(): Promise<number>;
  throttled(retryAfterMs: number | undefined, aimd: AimdOptions, backoff: BackoffOptions): Promise<ThrottleOutcome>;
  /** A runtime change of the limits; null returns to the configured ones. */
  setLimits(limits: RateLimits | null): Promise<void>;
  snapshot(defaults: RateLimits, aimd: AimdOptions): Promise<RateSnapshot>;
}
