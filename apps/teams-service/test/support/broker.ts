// The test's side of the broker: publish an event or command as another service would (the same
// envelope twice for a duplicate delivery), and a tap queue recording every cuenta-teams.* event with
// its raw body, so a test can wait for the reply it expects and inspect exactly what travelled.
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { Envelope, MessageDefinition, Payload } from '@lucy/contracts';

export interface Recorded {
  env: Envelope<Record<string, any>>;
  raw: string;
}

export class TestBroker {
  readonly seen: Recorded[] = [];

  private constructor(
    private readonly conn: ChannelModel,
    private readonly ch: ConfirmChannel,
  ) {}

  static async open(url: string): Promise<TestBroker> {
    const conn = await amqp.connect(url);
    const ch = await conn.createConfirmChannel();
    const b = new TestBroker(conn, ch);
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    await ch.bindQueue(queue, 'lucy.events', 'cuenta-teams.#');
    await ch.consume(queue, (m) => m && b.seen.push({ env: JSON.parse(m.content.toString()), raw: m.content.toString() }), { noAck: true });
    return b;
  }

  envelope<D extends MessageDefinition>(def: D, payload: Payload<D>, over: Partial<Envelope> = {}): Envelope {
    return { messageId: randomUUID(), correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString(), type: def.name, version: def.version, payload: def.schema.parse(payload), ...over };
  }

  async send(def: MessageDefinition, env: Envelope): Promise<void> {
    const exchange = def.kind === 'command' ? 'lucy.commands' : 'lucy.events';
    this.ch.publish(exchange, def.routingKey, Buffer.from(JSON.stringify(env)), { persistent: true, contentType: 'application/json', messageId: env.messageId, type: env.type, headers: { 'x-lucy-version': env.version } });
    await this.ch.waitForConfirms();
  }

  async publish<D extends MessageDefinition>(def: D, payload: Payload<D>): Promise<Envelope> {
    const env = this.envelope(def, payload);
    await this.send(def, env);
    return env;
  }

  /** Events of one type caused by one message. */
  repliesTo(def: MessageDefinition, env: Envelope): Recorded[] {
    return this.seen.filter((r) => r.env.type === def.name && r.env.causationId === env.messageId);
  }

  /** Waits for the one reply of `def` to `env` (failing fast if another reply to it arrives instead). */
  async reply(def: MessageDefinition, env: Envelope, timeoutMs = 20_000): Promise<Recorded> {
    return waitFor(() => {
      const other = this.seen.find((r) => r.env.causationId === env.messageId && r.env.type !== def.name);
      if (other) throw new Error(`expected ${def.name}, got ${other.env.type}: ${JSON.stringify(other.env.payload)}`);
      return this.repliesTo(def, env)[0];
    }, timeoutMs, `${def.name} in reply to ${env.type}`);
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

/** Polls until `probe` gives a value, or fails at the deadline (never a fixed sleep). */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
