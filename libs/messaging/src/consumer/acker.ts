// Acks one channel's deliveries in as few frames as the order they finish in allows. Acks asked for in the
// same tick go out together at its end: one ack with `multiple` for the oldest unsettled deliveries when
// every one of them has finished, one ack each for the rest. A delivery is acked in the tick it finished
// in, never later for another's sake, and never by another's `multiple` unless it finished too.
import type { Channel, Message } from 'amqplib';

export class Acker {
  /** Delivered and not yet acked or given back, oldest first (a Map keeps insertion order). */
  private readonly unsettled = new Map<number, Message>();
  /** Finished in this tick, to ack at its end. */
  private readonly finished = new Set<number>();
  private scheduled = false;

  constructor(private readonly channel: Channel) {}

  /** Called for every delivery, in delivery order, before anything can settle it. */
  received(msg: Message): void {
    this.unsettled.set(msg.fields.deliveryTag, msg);
  }

  ack(msg: Message): void {
    this.finished.add(msg.fields.deliveryTag);
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(() => this.flush());
    }
  }

  /** Gives a delivery back to the queue now (requeued: the broker delivers it again). */
  requeue(msg: Message): void {
    const tag = msg.fields.deliveryTag;
    this.unsettled.delete(tag);
    this.finished.delete(tag);
    try {
      this.channel.nack(msg, false, true);
    } catch {
      /* the channel is gone; the broker redelivers unacked messages on its own */
    }
  }

  /** Sends the acks asked for so far (also called before the channel closes). */
  flush(): void {
    this.scheduled = false;
    if (this.finished.size === 0) return;
    let upTo: Message | undefined;
    let run = 0;
    for (const [tag, msg] of this.unsettled) {
      if (!this.finished.has(tag)) break;
      upTo = msg;
      run++;
    }
    try {
      if (upTo) {
        for (const tag of this.unsettled.keys()) {
          this.unsettled.delete(tag);
          this.finished.delete(tag);
          if (tag === upTo.fields.deliveryTag) break;
        }
        this.channel.ack(upTo, run > 1);
      }
      for (const tag of this.finished) {
        const msg = this.unsettled.get(tag);
        this.unsettled.delete(tag);
        if (msg) this.channel.ack(msg);
      }
    } catch {
      /* the channel is gone; the broker redelivers what was not acked on it */
    } finally {
      this.finished.clear();
    }
  }
}
