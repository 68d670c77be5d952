// The test's side of the broker. A tap: a temporary queue bound to the exchanges and routing keys a test
// cares about, recording every message as the bytes that travelled, to wait on with a deadline, inspect,
// or publish again byte for byte (a redelivery as a service would see it). And a sender: an envelope
// published as another service would publish it, or the same envelope again for a duplicate delivery.
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel, type MessageProperties } from 'amqplib';
import type { Envelope, MessageDefinition, Payload } from '@lucy/contracts';
import { EXCHANGES } from '@lucy/messaging';
import { RABBITMQ_URL } from './throwaway.js';
import { waitFor } from './wait-for.js';

/** What to tap: the messages of one definition, or a routing-key pattern on an exchange. */
export type TapBinding = MessageDefinition | { exchange: string; pattern: string };

export const onEvents = (pattern: string): TapBinding => ({ exchange: EXCHANGES.events, pattern });
export const onCommands = (pattern: string): TapBinding => ({ exchange: EXCHANGES.commands, pattern });

const exchangeOf = (def: MessageDefinition) => (def.kind === 'command' ? EXCHANGES.commands : EXCHANGES.events);

export class TappedMessage<P = Record<string, any>> {
  private parsed?: Envelope<P>;
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
    /** The body exactly as it travelled. */
    readonly content: Buffer,
    readonly properties: MessageProperties,
  ) {}

  get body(): string {
    return this.content.toString('utf8');
  }

  /** The body read as Lucy's envelope (what every message on lucy.events and lucy.commands is). */
  get env(): Envelope<P> {
    return (this.parsed ??= JSON.parse(this.body) as Envelope<P>);
  }
}

export class BrokerTap {
  /** Every message the tap has heard, in arrival order. */
  readonly messages: TappedMessage[] = [];

  private constructor(
    private readonly conn: ChannelModel,
    private readonly ch: ConfirmChannel,
  ) {}

  static async open(bindings: TapBinding[], { url = RABBITMQ_URL }: { url?: string } = {}): Promise<BrokerTap> {
    const conn = await amqp.connect(url);
    const ch = await conn.createConfirmChannel();
    const tap = new BrokerTap(conn, ch);
    // Declared as libs/messaging's topology declares them (the same arguments, so this is a no-op where they
    // exist): a tap may open before any service has started, on a fresh broker or vhost.
    for (const name of [EXCHANGES.events, EXCHANGES.commands])
      await ch.assertExchange(name, 'topic', { durable: true, alternateExchange: EXCHANGES.unrouted });
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    for (const b of bindings) {
      if ('pattern' in b) await ch.bindQueue(queue, b.exchange, b.pattern);
      else await ch.bindQueue(queue, exchangeOf(b), b.routingKey);
    }
    await ch.consume(
      queue,
      (m) => m && tap.messages.push(new TappedMessage(m.fields.exchange, m.fields.routingKey, m.content, m.properties)),
      { noAck: true },
    );
    return tap;
  }

  /** The envelopes of `def` (its name and version) whose payload has every field of `match`, in arrival order. */
  envelopes<D extends MessageDefinition>(def: D, match: Record<string, unknown> = {}): Envelope<Payload<D>>[] {
    const wanted = Object.entries(match);
    return this.messages
      .map((m) => m.env as Envelope<Payload<D>>)
      .filter(
        (e) =>
          e.type === def.name &&
          e.version === def.version &&
          wanted.every(([k, v]) => (e.payload as Record<string, unknown>)[k] === v),
      );
  }

  /** The payloads of {@link envelopes}. */
  of<D extends MessageDefinition>(def: D, match: Record<string, unknown> = {}): Payload<D>[] {
    return this.envelopes(def, match).map((e) => e.payload);
  }

  /** The envelopes of `def` caused by the message `cause`. */
  repliesTo<D extends MessageDefinition>(def: D, cause: Pick<Envelope, 'messageId'>): Envelope<Payload<D>>[] {
    return this.messages
      .map((m) => m.env as Envelope<Payload<D>>)
      .filter((e) => e.type === def.name && e.causationId === cause.messageId);
  }

  /** Waits for the one reply of `def` to `cause`, failing at once if another reply to it arrives instead. */
  reply<D extends MessageDefinition>(def: D, cause: Envelope, timeoutMs = 20_000): Promise<TappedMessage<Payload<D>>> {
    return waitFor(
      () => {
        const caused = this.messages.filter((m) => m.env.causationId === cause.messageId);
        const other = caused.find((m) => m.env.type !== def.name);
        if (other) throw new Error(`expected ${def.name}, got ${other.env.type}: ${JSON.stringify(other.env.payload)}`);
        return caused[0] as TappedMessage<Payload<D>> | undefined;
      },
      `${def.name} in reply to ${cause.type}`,
      { timeoutMs },
    );
  }

  /** A new envelope for `payload`, validated by its schema; `over` sets ids (a correlation, a cause). */
  envelope<D extends MessageDefinition>(
    def: D,
    payload: Payload<D>,
    over: Partial<Envelope> = {},
  ): Envelope<Payload<D>> {
    return {
      messageId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
      type: def.name,
      version: def.version,
      payload: def.schema.parse(payload),
      ...over,
    } as Envelope<Payload<D>>;
  }

  /** Publishes an envelope as the transport would (publish it again for a duplicate delivery); resolves on the broker's confirm. */
  async send(def: MessageDefinition, env: Envelope): Promise<void> {
    this.ch.publish(exchangeOf(def), def.routingKey, Buffer.from(JSON.stringify(env)), {
      persistent: true,
      contentType: 'application/json',
      messageId: env.messageId,
      correlationId: env.correlationId,
      type: env.type,
    });
    await this.ch.waitForConfirms();
  }

  async publish<D extends MessageDefinition>(
    def: D,
    payload: Payload<D>,
    over: Partial<Envelope> = {},
  ): Promise<Envelope<Payload<D>>> {
    const env = this.envelope(def, payload, over);
    await this.send(def, env);
    return env;
  }

  /** Publishes a tapped message again, byte for byte, with its properties: a redelivery as the services would see it. */
  async replay(m: TappedMessage<unknown>): Promise<void> {
    const { contentType, messageId, correlationId, type, headers } = m.properties;
    this.ch.publish(m.exchange, m.routingKey, m.content, {
      persistent: true,
      contentType,
      messageId,
      correlationId,
      type,
      headers,
    });
    await this.ch.waitForConfirms();
  }

  async queueDepth(queue: string): Promise<number> {
    // A channel of its own: checking a queue that is not there closes the channel it is asked on.
    const ch = await this.conn.createChannel();
    try {
      return (await ch.checkQueue(queue)).messageCount;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.conn.close().catch(() => undefined);
  }
}
