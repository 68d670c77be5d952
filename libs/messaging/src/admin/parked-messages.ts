// Operator access to a parking queue: list, replay, discard. RabbitMQ is the store; browsing uses
// basic.get on a private channel and gives back what it does not act on by closing that channel
// (unacked messages return to the queue; a classic queue keeps their order).
import type { Channel, GetMessage } from 'amqplib';
import type { AmqpConnection } from '../transport/connection.js';
import { parkedQueueName } from '../transport/topology.js';
import { H } from '../consumer/failure-headers.js';

export interface ParkedMessage {
  messageId: string;
  type: string | null;
  correlationId: string | null;
  queue: string;
  error: string | null;
  errorCode: string | null;
  attempts: number;
  firstFailure: string | null;
  lastFailure: string | null;
  parkedAt: string | null;
  body: string;
}

const MAX_SCAN = 10_000;

function describe(queue: string, m: GetMessage): ParkedMessage {
  const h = m.properties.headers ?? {};
  return {
    messageId: String(m.properties.messageId ?? ''),
    type: m.properties.type ?? null,
    correlationId: m.properties.correlationId ?? null,
    queue,
    error: (h[H.error] as string) ?? null,
    errorCode: (h[H.errorCode] as string) ?? null,
    attempts: Number(h[H.attempts] ?? 0),
    firstFailure: (h[H.firstFailure] as string) ?? null,
    lastFailure: (h[H.lastFailure] as string) ?? null,
    parkedAt: (h[H.parkedAt] as string) ?? null,
    body: m.content.toString('utf8').slice(0, 64 * 1024),
  };
}

/** When a parked message was parked (older transports wrote only the failure times), or null. */
export function parkedAtOf(m: Pick<ParkedMessage, 'parkedAt' | 'lastFailure'>): Date | null {
  const at = new Date(m.parkedAt ?? m.lastFailure ?? NaN);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** What removeParkedBefore found in one parking queue. */
export interface ParkedRemoval {
  /** The messages parked before the cutoff: reported before they are removed. */
  old: ParkedMessage[];
  /** How many of them were removed (0 when simulating; fewer if some were replayed meanwhile). */
  removed: number;
  /** The oldest parked message left in the queue, or null if none is (undated ones do not count). */
  oldestKept: Date | null;
  /** Messages with no date: kept. */
  undated: number;
}

export class ParkedMessages {
  constructor(private readonly connection: AmqpConnection) {}

  private async scan(
    queue: string,
    visit: (ch: Channel, m: GetMessage) => Promise<'stop' | 'next'>,
    limit = MAX_SCAN,
  ): Promise<void> {
    const ch = await this.connection.openChannel();
    try {
      // Only what was parked when we started: a replayed message that fails again is not met twice.
      const { messageCount } = await ch.checkQueue(parkedQueueName(queue));
      for (let i = 0; i < Math.min(limit, messageCount); i++) {
        const m = await ch.get(parkedQueueName(queue), { noAck: false });
        if (!m) return;
        if ((await visit(ch, m)) === 'stop') return;
      }
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  async list(queue: string, limit = 100): Promise<ParkedMessage[]> {
    const out: ParkedMessage[] = [];
    await this.scan(
      queue,
      async (_ch, m) => {
        out.push(describe(queue, m));
        return 'next';
      },
      limit,
    );
    return out;
  }

  async count(queue: string): Promise<number> {
    const ch = await this.connection.openChannel();
    try {
      return (await ch.checkQueue(parkedQueueName(queue))).messageCount;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  /** Sends parked messages back to the queue they failed in, with a fresh retry budget. */
  async replay(queue: string, messageId?: string): Promise<number> {
    let replayed = 0;
    await this.scan(queue, async (ch, m) => {
      if (messageId && m.properties.messageId !== messageId) return 'next';
      const headers: Record<string, unknown> = {
        ...(m.properties.headers ?? {}),
        [H.replayedAt]: new Date().toISOString(),
      };
      delete headers[H.attempts];
      await this.connection.publish([
        {
          messageId: String(m.properties.messageId ?? ''),
          exchange: '',
          routingKey: queue,
          body: m.content,
          properties: { ...m.properties, persistent: true, headers },
        },
      ]);
      ch.ack(m);
      replayed++;
      return messageId ? 'stop' : 'next';
    });
    return replayed;
  }

  /**
   * Removes the messages parked in `queue` before `cutoff`, in two passes: the first counts them and hands
   * them to `report` (nothing is removed before it returns), the second acks exactly those still there.
   * `simulate`: the first pass only. Newer and undated messages stay, in their order.
   */
  async removeParkedBefore(
    queue: string,
    cutoff: Date,
    opts: { simulate?: boolean; report?: (old: ParkedMessage[]) => void | Promise<void> } = {},
  ): Promise<ParkedRemoval> {
    const old: ParkedMessage[] = [];
    let oldestKept: Date | null = null;
    let undated = 0;
    await this.scan(queue, async (_ch, m) => {
      const d = describe(queue, m);
      const at = parkedAtOf(d);
      if (at === null) undated++;
      else if (at < cutoff) old.push({ ...d, body: '' });
      else if (oldestKept === null || at < oldestKept) oldestKept = at;
      return 'next';
    });
    await opts.report?.(old);
    if (opts.simulate || old.length === 0) return { old, removed: 0, oldestKept, undated };
    const marks = new Set(old.map((m) => `${m.messageId}\u0000${m.parkedAt ?? m.lastFailure}`));
    let removed = 0;
    await this.scan(queue, async (ch, m) => {
      const d = describe(queue, m);
      const at = parkedAtOf(d);
      if (at === null || at >= cutoff || !marks.delete(`${d.messageId}\u0000${d.parkedAt ?? d.lastFailure}`))
        return 'next';
      ch.ack(m);
      removed++;
      return marks.size === 0 ? 'stop' : 'next';
    });
    return { old, removed, oldestKept, undated };
  }

  async discard(queue: string, messageId?: string): Promise<number> {
    let discarded = 0;
    await this.scan(queue, async (ch, m) => {
      if (messageId && m.properties.messageId !== messageId) return 'next';
      ch.ack(m);
      discarded++;
      return messageId ? 'stop' : 'next';
    });
    return discarded;
  }
}
