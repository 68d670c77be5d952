// What a test creates on the shared RabbitMQ and PostgreSQL carries names no other run uses, and is
// removed at the end, so runs neither see nor leave anything of each other's.
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { parkedQueueName, retentionQueueOf, retryQueueName } from '@lucy/messaging';

export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface ThrowawayNames {
  /** 8 hex characters, for anything else the test wants unique (addresses, ids). */
  suffix: string;
  /** The service name, hence its queue: `test-<name>-<suffix>`. */
  service: string;
  /** The database schema: `t_<name>_<suffix>`. */
  schema: string;
}

export function throwawayNames(name: string): ThrowawayNames {
  const suffix = randomBytes(4).toString('hex');
  return { suffix, service: `test-${name}-${suffix}`, schema: `t_${name.replace(/\W/g, '_')}_${suffix}` };
}

/** Anything that runs SQL: a pg.Client, a pg.Pool, a TypeORM DataSource. */
export interface Queryable {
  query(sql: string): Promise<unknown>;
}

export async function dropSchema(db: Queryable, schema: string): Promise<void> {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/**
 * Deletes a service's queue with its parked and retry queues, and the same of its retention queue
 * (`<service>.retencion`, declared by services that answer retention runs); missing ones are fine. On a
 * connection of its own.
 */
export async function deleteServiceQueues(
  service: string,
  retryDelaysMs: readonly number[],
  url = RABBITMQ_URL,
): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    // Deleting a queue that is not there is fine; it must not close the connection under the next one.
    ch.on('error', () => undefined);
    const queues = [service, retentionQueueOf(service)].flatMap((q) => [
      q,
      parkedQueueName(q),
      ...retryDelaysMs.map((d) => retryQueueName(q, d)),
    ]);
    for (const queue of queues) await ch.deleteQueue(queue).catch(() => undefined);
  } finally {
    await conn.close().catch(() => undefined);
  }
}
