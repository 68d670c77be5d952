// Assembles a guard: limiter (Redis-shared, local fallback) + breaker + metrics, from plain options.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ErrorClassifier } from '../classify.js';
import { DEFAULT_BREAKER, type BreakerOptions } from '../breaker/breaker.js';
import { ResilienceMetrics } from '../metrics.js';
import { SharedRateLimiter, type RateLimiterOptions } from '../rate/rate-limiter.js';
import { RedisRateStore } from '../rate/redis-rate.store.js';
import { DependencyGuard } from './dependency-guard.js';

export interface GuardSpec {
  name: string;
  /** The rate limit; `false` for none. `api` defaults to the dependency's name. */
  rate: (Omit<RateLimiterOptions, 'api'> & { api?: string }) | false;
  breaker?: Partial<BreakerOptions>;
  classify?: ErrorClassifier;
  probe?: (signal: AbortSignal) => Promise<unknown>;
  maxThrottleRetries?: number;
}

export interface GuardDeps {
  /** Shared limiter state; absent: the limiter works in this process only. */
  redis?: Redis;
  registry?: Registry;
  log?: Logger;
  keyPrefix?: string;
}

export function createDependencyGuard(spec: GuardSpec, deps: GuardDeps = {}): DependencyGuard {
  const metrics = ResilienceMetrics.for(deps.registry);
  const dependency = spec.name;
  const log = deps.log;
  let limiter: SharedRateLimiter | undefined;
  if (spec.rate) {
    const api = spec.rate.api ?? spec.name;
    limiter = new SharedRateLimiter(
      { ...spec.rate, api },
      deps.redis ? new RedisRateStore(deps.redis, api, deps.keyPrefix) : undefined,
      log,
      {
        onReservation: (r) => {
          metrics.rateRpm.set({ dependency, budget: 'all' }, r.rpm);
          if (r.writeRpm !== null) metrics.rateRpm.set({ dependency, budget: 'write' }, r.writeRpm);
          metrics.rateFactor.set({ dependency }, r.factor);
        },
        onThrottled: (t) => metrics.rateFactor.set({ dependency }, t.factor),
        onBackend: (b) => metrics.limiterFallback.set({ dependency }, b === 'local' ? 1 : 0),
      },
    );
    metrics.limiterFallback.set({ dependency }, limiter.backend === 'local' ? 1 : 0);
  }
  return new DependencyGuard({
    name: spec.name,
    breaker: { ...DEFAULT_BREAKER, ...spec.breaker },
    limiter,
    classify: spec.classify,
    probe: spec.probe,
    maxThrottleRetries: spec.maxThrottleRetries,
    metrics,
    log,
  });
}
