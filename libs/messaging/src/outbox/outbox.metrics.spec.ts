import { Registry } from 'prom-client';
import { registerOutboxMetrics, type OutboxBacklog } from './outbox.metrics.js';

const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

describe('outbox metrics', () => {
  it('reads the backlog once per scrape for both gauges, and keeps the last figures while the database fails', async () => {
    const registry = new Registry();
    const answers: (OutboxBacklog | Error)[] = [
      { pending: 2, oldestAgeSeconds: 90 },
      new Error('connection refused'),
      { pending: 0, oldestAgeSeconds: 0 },
    ];
    let reads = 0;
    registerOutboxMetrics(registry, async () => {
      const a = answers[reads++]!;
      if (a instanceof Error) throw a;
      return a;
    });
    const scrape = async () => {
      const text = await registry.metrics();
      await new Promise((r) => setTimeout(r, 5)); // the next scrape reads again
      return [value(text, 'lucy_outbox_pending'), value(text, 'lucy_outbox_oldest_pending_seconds')];
    };

    expect(await scrape()).toEqual([2, 90]);
    expect(reads).toBe(1);
    expect(await scrape()).toEqual([2, 90]);
    expect(await scrape()).toEqual([0, 0]);
    expect(reads).toBe(3);
  });
});
