// @lucy/resilience: what stands between a service and an external API — a rate limit shared by every
// replica (Redis), 429 / Retry-After honoured by every caller, and a circuit breaker (opossum) that
// pauses the service's queues while the dependency is down.
export * from './classify.js';
export * from './config.js';
export * from './metrics.js';
export * from './rate/rate.types.js';
export * from './rate/presets.js';
export {
  SharedRateLimiter,
  RateLimitDeferral,
  DEFAULT_LATE_TOLERANCE_MS,
  type RateLimiterOptions,
  type RateBackend,
} from './rate/rate-limiter.js';
export { LocalRateStore } from './rate/local-rate.store.js';
export { mostCallsInWindow, slotsInWindow, type WindowBoundOptions } from './rate/window-bound.js';
export { RedisRateStore } from './rate/redis-rate.store.js';
export { BreakerOpenError, DEFAULT_BREAKER, type BreakerOptions, type BreakerState } from './breaker/breaker.js';
export { BreakerQueues, type QueueRuntime } from './breaker/breaker-queues.js';
export { DependencyGuard, type DependencyGuardOptions } from './guard/dependency-guard.js';
export { Tickets, runAdmitted, admittedTickets, type CallBudget } from './guard/admission.js';
export { createDependencyGuard, type GuardSpec, type GuardDeps } from './guard/create-guard.js';
export { controlQueueOf, ResilienceControl } from './nest/control.js';
export { GuardRegistry } from './nest/guard.registry.js';
export { ResilienceModule, type DependencyModuleOptions } from './nest/resilience.module.js';
export { guardToken, InjectGuard, RESILIENCE_REDIS } from './nest/tokens.js';
