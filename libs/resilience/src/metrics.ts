// The resilience metrics, in the service's prom-client registry (GET /metrics). One set per registry:
// every guard of the service shares it, labelled by dependency.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type CallOutcome =
  'success' | 'transient' | 'permanent' | 'throttled' | 'timeout' | 'short_circuited' | 'deferred';

export class ResilienceMetrics {
  readonly breakerState: Gauge<'dependency' | 'state'>;
  readonly breakerTransitions: Counter<'dependency' | 'to'>;
  readonly calls: Counter<'dependency' | 'kind' | 'outcome'>;
  readonly rateWait: Histogram<'dependency' | 'kind'>;
  readonly admissionWait: Histogram<'dependency'>;
  readonly throttled: Counter<'dependency'>;
  readonly rateRpm: Gauge<'dependency' | 'budget'>;
  readonly rateFactor: Gauge<'dependency'>;
  readonly limiterFallback: Gauge<'dependency'>;

  private static readonly byRegistry = new WeakMap<Registry, ResilienceMetrics>();

  static for(registry: Registry = new Registry()): ResilienceMetrics {
    let m = ResilienceMetrics.byRegistry.get(registry);
    if (!m) ResilienceMetrics.byRegistry.set(registry, (m = new ResilienceMetrics(registry)));
    return m;
  }

  private constructor(registry: Registry) {
    const registers = [registry];
    this.breakerState = new Gauge({
      name: 'lucy_breaker_state',
      help: 'Circuit breaker state per dependency: 1 for the current state, 0 for the others',
      labelNames: ['dependency', 'state'],
      registers,
    });
    this.breakerTransitions = new Counter({
      name: 'lucy_breaker_transitions_total',
      help: 'Circuit breaker state changes',
      labelNames: ['dependency', 'to'],
      registers,
    });
    this.calls = new Counter({
      name: 'lucy_external_calls_total',
      help: 'Calls to external dependencies through a guard, by outcome',
      labelNames: ['dependency', 'kind', 'outcome'],
      registers,
    });
    this.rateWait = new Histogram({
      name: 'lucy_rate_limit_wait_seconds',
      help: 'Time a call waited for its rate-limit slot (inside an admitted handler: at most a moment, the admission waited)',
      labelNames: ['dependency', 'kind'],
      buckets: [0, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
      registers,
    });
    this.admissionWait = new Histogram({
      name: 'lucy_admission_wait_seconds',
      help: 'Time a message waited, before its transaction, for the rate slots of the calls its handler will make',
      labelNames: ['dependency'],
      buckets: [0, 0.01, 0.1, 0.5, 1, 5, 10, 30, 60],
      registers,
    });
    this.throttled = new Counter({
      name: 'lucy_rate_limit_throttled_total',
      help: '429 answers received',
      labelNames: ['dependency'],
      registers,
    });
    this.rateRpm = new Gauge({
      name: 'lucy_rate_limit_rpm',
      help: 'Requests per minute in force (configured or changed at runtime, times the AIMD factor)',
      labelNames: ['dependency', 'budget'],
      registers,
    });
    this.rateFactor = new Gauge({
      name: 'lucy_rate_limit_factor',
      help: 'AIMD factor applied to the configured rate after 429s (1 = full rate)',
      labelNames: ['dependency'],
      registers,
    });
    this.limiterFallback = new Gauge({
      name: 'lucy_rate_limit_local_fallback',
      help: '1 while Redis is unreachable and the limiter runs in this process',
      labelNames: ['dependency'],
      registers,
    });
  }
}
