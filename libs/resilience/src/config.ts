// Environment variables for resilience, as zod fields a service spreads into its config schema:
//   baseConfigSchema.extend({ ...resilienceEnv(), ...dependencyEnv('GRAPH') })
// and the options they imply: dependencyOptionsFrom(config, 'GRAPH', 'graph').
import { z } from 'zod';
import { env } from '@lucy/platform';
import { DEFAULT_BREAKER, type BreakerOptions } from './breaker/breaker.js';
import { rateBurst, ratePreset, type RatePresetName } from './rate/presets.js';
import type { RateLimits } from './rate/rate.types.js';

const positive = (name: string) =>
  z.coerce.number({ error: 'must be a number' }).positive({ error: `must be a positive ${name}` });

/** REDIS_URL, RATE_LIMIT_REPLICAS: once per service. */
export function resilienceEnv() {
  return {
    REDIS_URL: env.url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
    /** Replicas expected: while Redis is unreachable each one limits itself to rate / this. */
    RATE_LIMIT_REPLICAS: env.int(1, 1000).default(2),
  };
}

/**
 * <P>_RATE_PRESET (default|seed), <P>_RPM, <P>_WRITE_RPM (0 = no write budget) — absent RPMs come from
 * the preset —, <P>_RATE_BURST (calls an idle budget may send beyond the spacing; absent: the preset's),
 * <P>_RATE_MAX_WAIT_MS, <P>_BREAKER_TIMEOUT_MS, <P>_BREAKER_CAPACITY,
 * <P>_BREAKER_VOLUME_THRESHOLD, <P>_BREAKER_ERROR_THRESHOLD_PERCENTAGE, <P>_BREAKER_RESET_TIMEOUT_MS,
 * <P>_BREAKER_ROLLING_COUNT_TIMEOUT_MS.
 */
export function dependencyEnv<P extends string>(prefix: P, breaker: Partial<BreakerOptions> = {}) {
  const b = { ...DEFAULT_BREAKER, ...breaker };
  return {
    [`${prefix}_RATE_PRESET`]: z.enum(['default', 'seed'], { error: 'must be default or seed' }).default('default'),
    [`${prefix}_RPM`]: positive('number of requests per minute').optional(),
    [`${prefix}_WRITE_RPM`]: z.coerce
      .number({ error: 'must be a number' })
      .min(0, { error: 'must be 0 (no write budget) or more' })
      .optional(),
    [`${prefix}_RATE_BURST`]: env.int(0, 1000).optional(),
    [`${prefix}_RATE_MAX_WAIT_MS`]: env.int(0).default(30_000),
    [`${prefix}_BREAKER_TIMEOUT_MS`]: env.int(1).default(b.timeoutMs),
    [`${prefix}_BREAKER_CAPACITY`]: env.int(1, 10_000).default(b.capacity),
    [`${prefix}_BREAKER_VOLUME_THRESHOLD`]: env.int(1).default(b.volumeThreshold),
    [`${prefix}_BREAKER_ERROR_THRESHOLD_PERCENTAGE`]: env.int(1, 100).default(b.errorThresholdPercentage),
    [`${prefix}_BREAKER_RESET_TIMEOUT_MS`]: env.int(1).default(b.resetTimeoutMs),
    [`${prefix}_BREAKER_ROLLING_COUNT_TIMEOUT_MS`]: env.int(100).default(b.rollingCountTimeoutMs),
  } as unknown as Record<`${P}_${DependencyVar}`, z.ZodType>;
}

type DependencyVar =
  | 'RATE_PRESET'
  | 'RPM'
  | 'WRITE_RPM'
  | 'RATE_BURST'
  | 'RATE_MAX_WAIT_MS'
  | 'BREAKER_TIMEOUT_MS'
  | 'BREAKER_CAPACITY'
  | 'BREAKER_VOLUME_THRESHOLD'
  | 'BREAKER_ERROR_THRESHOLD_PERCENTAGE'
  | 'BREAKER_RESET_TIMEOUT_MS'
  | 'BREAKER_ROLLING_COUNT_TIMEOUT_MS';

export interface DependencySettings {
  rate: { limits: RateLimits; maxWaitMs: number; replicas: number; burst: number };
  breaker: BreakerOptions;
}

/** The options a validated configuration implies for one dependency (`api` picks the preset). */
export function dependencyOptionsFrom(
  config: Record<string, unknown>,
  prefix: string,
  api: string,
): DependencySettings {
  const v = (name: DependencyVar) => config[`${prefix}_${name}`] as number | string | undefined;
  const presetName = (v('RATE_PRESET') as RatePresetName | undefined) ?? 'default';
  const preset = ratePreset(api, presetName);
  const writeRpm = v('WRITE_RPM') === undefined ? (preset.writeRpm ?? null) : Number(v('WRITE_RPM')) || null;
  return {
    rate: {
      limits: { rpm: Number(v('RPM') ?? preset.rpm), writeRpm },
      maxWaitMs: Number(v('RATE_MAX_WAIT_MS') ?? 30_000),
      replicas: Number(config.RATE_LIMIT_REPLICAS ?? 2),
      burst: Number(v('RATE_BURST') ?? rateBurst(api, presetName)),
    },
    breaker: {
      timeoutMs: Number(v('BREAKER_TIMEOUT_MS') ?? DEFAULT_BREAKER.timeoutMs),
      capacity: Number(v('BREAKER_CAPACITY') ?? DEFAULT_BREAKER.capacity),
      volumeThreshold: Number(v('BREAKER_VOLUME_THRESHOLD') ?? DEFAULT_BREAKER.volumeThreshold),
      errorThresholdPercentage: Number(
        v('BREAKER_ERROR_THRESHOLD_PERCENTAGE') ?? DEFAULT_BREAKER.errorThresholdPercentage,
      ),
      resetTimeoutMs: Number(v('BREAKER_RESET_TIMEOUT_MS') ?? DEFAULT_BREAKER.resetTimeoutMs),
      rollingCountTimeoutMs: Number(v('BREAKER_ROLLING_COUNT_TIMEOUT_MS') ?? DEFAULT_BREAKER.rollingCountTimeoutMs),
    },
  };
}
