// Transport metrics, registered in the service's prom-client registry (GET /metrics).
import { Counter, Histogram, Registry } from 'prom-client';

export type Outcome = 'applied' | 'duplicate' | 'retried' | 'parked' | 'requeued' | 'deferred';

export class MessagingMetrics {
  readonly consumed: Counter<'queue' | 'type' | 'outcome'>;
  readonly duration: Histogram<'queue' | 'type'>;
  readonly published: Counter<'via'>;

  constructor(registry: Registry = new Registry()) {
    this.consumed = new Counter({
      name: 'lucy_messages_consumed_total',
      help: 'Messages taken from a queue, by what became of them',
      labelNames: ['queue', 'type', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'lucy_message_handling_seconds',
      help: 'Time from delivery to ack, handler and commit included',
      labelNames: ['queue', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.published = new Counter({
      name: 'lucy_messages_published_total',
      help: 'Messages confirmed by the broker',
      labelNames: ['via'],
      registers: [registry],
    });
  }
}
