// Baseline: the 4-hop relay in plain amqplib, done safely and nothing more. Each hop has its own
// connection (as four services would), consumes with manual ack and a bounded prefetch, republishes the
// body as it came, persistent, on a confirm channel, and acks the delivery only once the broker has
// confirmed the republished copy; the last hop just acks. Durable queues, default exchange.
import amqp, { type ChannelModel } from 'amqplib';
import type { Relay, Sink } from '../support/driver.js';
import { config, deleteQueues, tag, type Item } from '../support/infra.js';

export async function rawAmqplibRelay(sink: Sink): Promise<Relay> {
  const run = tag();
  const queues = [1, 2, 3, 4].map((i) => `bench-raw-${run}-hop${i}`);
  const connections: ChannelModel[] = [];
  const open = async () => {
    const conn = await amqp.connect(config.rabbitUrl);
    conn.on('error', () => undefined);
    connections.push(conn);
    return conn;
  };

  try {
    const admin = await open();
    const ach = await admin.createChannel();
    for (const q of queues) await ach.assertQueue(q, { durable: true });
    await ach.close();

    for (let i = 0; i < 4; i++) {
      const conn = await open();
      const ch = await conn.createChannel();
      await ch.prefetch(config.prefetch);
      const next = queues[i + 1];
      const pub = next ? await conn.createConfirmChannel() : undefined;
      await ch.consume(
        queues[i],
        (msg) => {
          if (!msg) return;
          if (!pub) {
            sink.arrived(JSON.parse(msg.content.toString('utf8')) as Item);
            ch.ack(msg);
            return;
          }
          pub.sendToQueue(
            next!,
            msg.content,
            { persistent: true, contentType: 'application/json', messageId: msg.properties.messageId },
            (err) => (err ? ch.nack(msg, false, true) : ch.ack(msg)),
          );
        },
        { noAck: false },
      );
    }

    const seedConn = await open();
    const seeder = await seedConn.createConfirmChannel();
    let id = 0;
    return {
      seedOne: (item) =>
        new Promise<void>((resolve, reject) => {
          seeder.sendToQueue(
            queues[0],
            Buffer.from(JSON.stringify(item)),
            { persistent: true, contentType: 'application/json', messageId: `m${id++}` },
            (err) => (err ? reject(new Error(`broker refused a seed: ${String(err)}`)) : resolve()),
          );
        }),
      stop: async () => {
        for (const c of connections.splice(0)) await c.close().catch(() => undefined);
        await deleteQueues(queues);
      },
    };
  } catch (err) {
    for (const c of connections.splice(0)) await c.close().catch(() => undefined);
    await deleteQueues(queues).catch(() => undefined);
    throw err;
  }
}
