// How far behind the outbox relay is, read at scrape time: the rows still to send and the age of the
// oldest. A count alone cannot tell a busy outbox (many rows, all young) from a stuck one (a few rows
// that never leave); the age can, and it is what the "outbox age" alert watches.
import { Gauge, type Registry } from 'prom-client';

export interface OutboxBacklog {
  pending: number;
  /** Seconds since the oldest unsent row was written; 0 when nothing is pending. */
  oldestAgeSeconds: number;
}

export function registerOutboxMetrics(registry: Registry, read: () => Promise<OutboxBacklog>): void {
  // One read serves both gauges: prom-client collects them one after the other within the same scrape.
  let reading: Promise<OutboxBacklog | undefined> | undefined;
  const backlog = () => {
    reading ??= read()
      .catch(() => undefined) // the database does not answer: keep the last values (health says why)
      .finally(() => setTimeout(() => (reading = undefined), 0));
    return reading;
  };
  new Gauge({
    name: 'lucy_outbox_pending',
    help: 'Outbox rows written and not yet confirmed by the broker',
    registers: [registry],
    async collect() {
      const b = await backlog();
      if (b) this.set(b.pending);
    },
  });
  new Gauge({
    name: 'lucy_outbox_oldest_pending_seconds',
    help: 'Age of the oldest outbox row not yet confirmed by the broker (0: none pending)',
    registers: [registry],
    async collect() {
      const b = await backlog();
      if (b) this.set(b.oldestAgeSeconds);
    },
  });
}
