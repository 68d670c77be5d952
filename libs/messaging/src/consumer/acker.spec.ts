import type { Channel, Message } from 'amqplib';
import { Acker } from './acker.js';

const delivery = (tag: number) => ({ fields: { deliveryTag: tag } }) as Message;
const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));

function fakeChannel() {
  const sent: string[] = [];
  let closed = false;
  const channel = {
    ack: (m: Message, multiple = false) => {
      if (closed) throw new Error('Channel closed');
      sent.push(`ack ${m.fields.deliveryTag}${multiple ? ' multiple' : ''}`);
    },
    nack: (m: Message, _multiple: boolean, requeue: boolean) => {
      if (closed) throw new Error('Channel closed');
      sent.push(`nack ${m.fields.deliveryTag}${requeue ? ' requeue' : ''}`);
    },
  } as unknown as Channel;
  return { channel, sent, close: () => (closed = true) };
}

describe('Acker', () => {
  it('acks the oldest deliveries that finished in one tick with one multiple ack, at the end of the tick', async () => {
    const { channel, sent } = fakeChannel();
    const acker = new Acker(channel);
    [1, 2, 3].forEach((t) => acker.received(delivery(t)));
    acker.ack(delivery(2));
    acker.ack(delivery(1));
    acker.ack(delivery(3));
    expect(sent).toEqual([]);
    await tick();
    expect(sent).toEqual(['ack 3 multiple']);
  });

  it('never acks a delivery still being handled: the ones after it go one by one', async () => {
    const { channel, sent } = fakeChannel();
    const acker = new Acker(channel);
    [1, 2, 3, 4, 5].forEach((t) => acker.received(delivery(t)));
    acker.ack(delivery(1));
    acker.ack(delivery(2));
    acker.ack(delivery(4));
    acker.ack(delivery(5));
    await tick();
    expect(sent).toEqual(['ack 2 multiple', 'ack 4', 'ack 5']);
    acker.ack(delivery(3));
    await tick();
    expect(sent.slice(3)).toEqual(['ack 3']);
  });

  it('acks a lone delivery without multiple, and a requeued one is no longer covered by a later multiple', async () => {
    const { channel, sent } = fakeChannel();
    const acker = new Acker(channel);
    [1, 2, 3].forEach((t) => acker.received(delivery(t)));
    acker.ack(delivery(1));
    await tick();
    acker.requeue(delivery(2));
    acker.ack(delivery(3));
    await tick();
    expect(sent).toEqual(['ack 1', 'nack 2 requeue', 'ack 3']);
  });

  it('flushes on demand (before the channel closes) and says nothing when the channel is already gone', async () => {
    const { channel, sent, close } = fakeChannel();
    const acker = new Acker(channel);
    [1, 2].forEach((t) => acker.received(delivery(t)));
    acker.ack(delivery(1));
    acker.flush();
    expect(sent).toEqual(['ack 1']);
    close();
    acker.ack(delivery(2));
    expect(() => acker.flush()).not.toThrow();
    expect(() => acker.requeue(delivery(2))).not.toThrow();
    await tick();
    expect(sent).toEqual(['ack 1']);
  });
});
