// The test's side of the broker: a sender for commands and replies, and a tap queue that records the
// events a lote causes, to wait on with a deadline.
import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import type { Envelope, MessageDefinition, Payload } from '@lucy/contracts';
import { EXCHANGES, messagingDefaults, MessagingRuntime } from '@lucy/messaging';
import { createLogger } from '@lucy/platform';

export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export async function sender(name: string): Promise<MessagingRuntime> {
  const rt = new MessagingRuntime({ ...messagingDefaults(name, RABBITMQ_URL), inbox: false, outbox: false }, { log: createLogger(name, { level: 'silent' }) });
  await rt.start();
  return rt;
}

export class Tap {
  readonly received: Envelope<any>[] = [];
  private constructor(
    private readonly conn: ChannelModel,
    private readonly ch: Channel,
  ) {}

  static async open(defs: MessageDefinition[]): Promise<Tap> {
    const conn = await amqp.connect(RABBITMQ_URL);
    const ch = await conn.createChannel();
    const tap = new Tap(conn, ch);
    const { queue } = await ch.assertQueue(`test-tap-${randomUUID().slice(0, 8)}`, { exclusive: true, autoDelete: true });
    for (const d of defs) await ch.bindQueue(queue, d.kind === 'command' ? EXCHANGES.commands : EXCHANGES.events, d.routingKey);
    await ch.consume(queue, (msg) => msg && tap.received.push(JSON.parse(msg.content.toString('utf8'))), { noAck: true });
    return tap;
  }

  /** The payloads of `def` for one lote, in arrival order. */
  of<D extends MessageDefinition>(def: D, loteId: string): Payload<D>[] {
    return this.received.filter((e) => e.type === def.name && e.version === def.version && (e.payload as { loteId?: string }).loteId === loteId).map((e) => e.payload as Payload<D>);
  }

  async close(): Promise<void> {
    await this.ch.close().catch(() => undefined);
    await this.conn.close().catch(() => undefined);
  }
}

export async function deleteQueues(service: string, delays: number[]): Promise<void> {
  const conn = await amqp.connect(RABBITMQ_URL);
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  for (const q of [service, `${service}.parked`, ...delays.map((d) => `${service}.retry.${d}ms`)]) await ch.deleteQueue(q).catch(() => undefined);
  await conn.close().catch(() => undefined);
}

/** Waits for a state with a deadline instead of sleeping a fixed time. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
