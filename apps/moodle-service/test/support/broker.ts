// The test's side of the broker: publish an event or command as another service would, and a tap
// queue that records every Moodle reply, so a test can wait for the one it expects.
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { MessageDefinition, Payload } from '@lucy/contracts';

export interface Recorded {
  type: string;
  messageId: string;
  causationId: string | null;
  payload: Record<string, unknown>;
}

export interface Envelope {
  messageId: string;
  correlationId: string;
  causationId: string | null;
  occurredAt: string;
  type: string;
  version: number;
  payload: unknown;
}

export class TestBroker {
  readonly seen: Recorded[] = [];
  private constructor(
    private readonly conn: ChannelModel,
    private readonly ch: ConfirmChannel,
  ) {}

  /** Taps every moodle.* event on lucy.events (the exchange exists once the service has started). */
  static async open(url: string): Promise<TestBroker> {
    const conn = await amqp.connect(url);
    const ch = await conn.createConfirmChannel();
    const b = new TestBroker(conn, ch);
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    await ch.bindQueue(queue, 'lucy.events', 'moodle.#');
    await ch.consume(queue, (m) => {
      if (!m) return;
      const env = JSON.parse(m.content.toString()) as Envelope;
      b.seen.push({ type: env.type, messageId: env.messageId, causationId: env.causationId, payload: env.payload as Record<string, unknown> });
    }, { noAck: true });
    return b;
  }

  envelope<D extends MessageDefinition>(def: D, payload: Payload<D>): Envelope {
    return { messageId: randomUUID(), correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString(), type: def.name, version: def.version, payload: def.schema.parse(payload) };
  }

  /** Publishes an envelope (again, for a duplicate delivery) and waits for the broker's confirm. */
  async send(def: MessageDefinition, env: Envelope): Promise<void> {
    const exchange = def.kind === 'command' ? 'lucy.commands' : 'lucy.events';
    this.ch.publish(exchange, def.routingKey, Buffer.from(JSON.stringify(env)), { persistent: true, contentType: 'application/json', messageId: env.messageId, type: env.type });
    await this.ch.waitForConfirms();
  }

  async publish<D extends MessageDefinition>(def: D, payload: Payload<D>): Promise<Envelope> {
    const env = this.envelope(def, payload);
    await this.send(def, env);
    return env;
  }

  /** Replies of one type caused by one message. */
  repliesTo(def: MessageDefinition, env: Envelope): Recorded[] {
    return this.seen.filter((r) => r.type === def.name && r.causationId === env.messageId);
  }

  async queueDepth(queue: string): Promise<number> {
    const ch = await this.conn.createChannel();
    try {
      return (await ch.checkQueue(queue)).messageCount;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  async deleteQueues(names: string[]): Promise<void> {
    const ch = await this.conn.createChannel();
    ch.on('error', () => undefined);
    for (const q of names) await ch.deleteQueue(q).catch(() => undefined);
    await ch.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.conn.close().catch(() => undefined);
  }
}

/** Polls until `check` returns a value (not undefined/false), or fails with `what` after the deadline. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
