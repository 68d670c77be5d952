import { env } from '@lucy/platform';

/** The gateway's Idempotency-Key variables (spread into gatewayConfigSchema). */
export const idempotencyConfigShape = {
  /** How long a key is remembered: a retry within it replays the first answer (the draft suggests 24 h). */
  IDEMPOTENCY_TTL_MS: env.int(1000).default(24 * 3_600_000),
  /**
   * A request in progress renews its claim every third of this; a claim not renewed for this long (its
   * replica died mid-request) can be taken over by a retry instead of answering 409 forever.
   */
  IDEMPOTENCY_LEASE_MS: env.int(1000).default(60_000),
  /** How often each replica deletes expired keys. */
  IDEMPOTENCY_PURGE_INTERVAL_MS: env.int(1000).default(600_000),
};
