// The outbox's backlog on /metrics, read from the real table: what is unsent and how old the oldest is.
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { MessagingRuntime, messagingDefaults } from '../src/index.js';
import { dropSchema, log, openSchema, RABBITMQ_URL, uniqueService } from './support/harness.js';

let ds: DataSource;
let table: string;

beforeAll(async () => {
  ds = await openSchema();
  table = `"${(ds.options as { schema: string }).schema}".outbox`;
});
afterAll(async () => dropSchema(ds));

const insert = (id: string, createdAgo: string, published: boolean) =>
  ds.query(
    `INSERT INTO ${table} (message_id, exchange, routing_key, type, body, created_at, published_at)
     VALUES ($1, 'x', 'k', 't', '{}', now() - $2::interval, ${published ? 'now()' : 'NULL'})`,
    [id, createdAgo],
  );

async function scrape(): Promise<Record<string, number>> {
  const registry = new Registry();
  // Not started: the gauges read the table at scrape time, with no broker involved.
  new MessagingRuntime(messagingDefaults(uniqueService('obs'), RABBITMQ_URL), { log, dataSource: ds, registry });
  const text = await registry.metrics();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  return {
    pending: value('lucy_outbox_pending'),
    oldest: value('lucy_outbox_oldest_pending_seconds'),
  };
}

describe('libs/messaging: the outbox backlog on /metrics', () => {
  it('says 0 and 0 when nothing waits, sent rows not counted however old', async () => {
    await insert('00000000-0000-4000-8000-000000000001', '2 hours', true);
    expect(await scrape()).toEqual({ pending: 0, oldest: 0 });
  });

  it('counts the unsent rows and gives the age of the oldest of them', async () => {
    await insert('00000000-0000-4000-8000-000000000002', '90 seconds', false);
    await insert('00000000-0000-4000-8000-000000000003', '5 seconds', false);
    const { pending, oldest } = await scrape();
    expect(pending).toBe(2);
    expect(oldest).toBeGreaterThanOrEqual(90);
    expect(oldest).toBeLessThan(120);
  });
});
