// Topology, declared once here and asserted by every service at start and after every reconnect.
//
//   lucy.events / lucy.commands (topic) ──routing key──> <queue>
//   <queue> ──transient failure──> <queue>.retry.<delay> (TTL = delay) ──dead-letter──> <queue>
//   <queue> ──permanent failure or retries spent──> <queue>.parked
//
// Per-tier retry queues (one TTL each) instead of per-message TTL: RabbitMQ only expires messages at the
// head of a queue, so mixed TTLs in one queue would hold short delays behind long ones. Tiers are named
// by their delay, so changing the delays creates new queues instead of failing on a changed argument.
import type { Channel } from 'amqplib';
import { EXCHANGES, type MessagingOptions } from '../options.js';

export const retryQueueName = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}ms`;
export const parkedQueueName = (queue: string) => `${queue}.parked`;

export interface QueueBinding {
  queue: string;
  exchange: string;
  routingKey: string;
}

export async function assertExchanges(ch: Channel): Promise<void> {
  await ch.assertExchange(EXCHANGES.unrouted, 'fanout', { durable: true });
  await ch.assertQueue(EXCHANGES.unrouted, { durable: true });
  await ch.bindQueue(EXCHANGES.unrouted, EXCHANGES.unrouted, '');
  for (const name of [EXCHANGES.events, EXCHANGES.commands]) {
    await ch.assertExchange(name, 'topic', { durable: true, alternateExchange: EXCHANGES.unrouted });
  }
}

function queueArgs(opts: MessagingOptions, extra: Record<string, unknown> = {}) {
  return { ...(opts.queueType === 'quorum' ? { 'x-queue-type': 'quorum' } : {}), ...extra };
}

/** The queue, its retry tiers and its parking queue, and the bindings that feed it. */
export async function assertQueue(
  ch: Channel,
  opts: MessagingOptions,
  queue: string,
  bindings: QueueBinding[],
): Promise<void> {
  await ch.assertQueue(queue, { durable: true, arguments: queueArgs(opts) });
  for (const delay of new Set(opts.retryDelaysMs)) {
    await ch.assertQueue(retryQueueName(queue, delay), {
      durable: true,
      arguments: queueArgs(opts, {
        'x-message-ttl': delay,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queue,
      }),
    });
  }
  await ch.assertQueue(parkedQueueName(queue), { durable: true, arguments: queueArgs(opts) });
  for (const b of bindings) await ch.bindQueue(b.queue, b.exchange, b.routingKey);
}
