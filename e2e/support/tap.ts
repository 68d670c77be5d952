// Records every message that crosses the broker (events and commands), as the bytes that travelled.
import amqp, { type ChannelModel } from 'amqplib';

export interface TappedMessage {
  routingKey: string;
  exchange: string;
  body: string;
  headers: Record<string, unknown>;
  messageId: string;
}

export class Tap {
  readonly messages: TappedMessage[] = [];
  private conn?: ChannelModel;

  async start(url: string): Promise<this> {
    this.conn = await amqp.connect(url);
    const ch = await this.conn.createChannel();
    for (const ex of ['lucy.events', 'lucy.commands']) await ch.assertExchange(ex, 'topic', { durable: true, alternateExchange: 'lucy.unrouted' });
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, 'lucy.events', '#');
    await ch.bindQueue(queue, 'lucy.commands', '#');
    await ch.consume(
      queue,
      (m) =>
        m &&
        this.messages.push({
          routingKey: m.fields.routingKey,
          exchange: m.fields.exchange,
          body: m.content.toString('utf8'),
          headers: (m.properties.headers ?? {}) as Record<string, unknown>,
          messageId: String(m.properties.messageId),
        }),
      { noAck: true },
    );
    return this;
  }

  of(routingKey: string): TappedMessage[] {
    return this.messages.filter((m) => m.routingKey === routingKey);
  }

  /** Publishes a recorded message again, byte for byte: a redelivery as the services would see it. */
  async replay(m: TappedMessage): Promise<void> {
    const ch = await this.conn!.createConfirmChannel();
    ch.publish(m.exchange, m.routingKey, Buffer.from(m.body), { persistent: true, messageId: m.messageId, contentType: 'application/json', headers: m.headers });
    await ch.waitForConfirms();
    await ch.close();
  }

  async stop(): Promise<void> {
    await this.conn?.close().catch(() => undefined);
  }
}
