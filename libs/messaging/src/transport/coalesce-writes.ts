// amqplib writes every frame to the socket as its own write(2): a publish, an ack, each one. Under load a
// hop sends dozens of frames in the same tick (the acks of a burst of confirms, the publishes of a burst of
// deliveries), so the socket is corked at the first write of a tick and uncorked when the tick's work is
// done: the same bytes in the same order, in one writev, a few microseconds later than the first of them
// would have gone. Fewer system calls here, and fewer TCP segments for the broker to read.
import type { ChannelModel } from 'amqplib';
import { amqpSocketOf, type Corkable } from '../library-internals.js';

/** Makes the connection's socket send what is written in one tick together. */
export function coalesceWrites(model: ChannelModel): void {
  const s = amqpSocketOf(model);
  if (!s) return;
  const write = s.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    s.uncork();
  };
  s.write = function (this: Corkable, ...args: unknown[]) {
    if (!corked) {
      corked = true;
      s.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  };
}
