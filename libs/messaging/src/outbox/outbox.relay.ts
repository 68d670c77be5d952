// Publishes committed outbox rows with publisher confirms. Woken right after a commit in this process
// (kick), and by a timer for rows other processes committed or a crashed relay left behind.
// It also owns the relayed rows' removal: every minute, beside the publishing loop (never in its way),
// the rows the broker confirmed more than a day ago go in short batches. A retention run only counts
// what is past that day and still there (retention/message-retention.ts).
import type { Logger } from 'pino';
import { outboxCutoff } from '../retention/retention-bounds.js';
import type { AmqpConnection } from '../transport/connection.js';
import type { OutboxStore, PendingRow } from './outbox.store.js';
import type { OutgoingMessage } from '../transport/wire.js';

/** How often relayed rows past their day are removed. */
export const OUTBOX_PRUNE_EVERY_MS = 60_000;

export class OutboxRelay {
  private running = false;
  private wake?: () => void;
  private kicked = false;
  private loop?: Promise<void>;
  private pruneTimer?: NodeJS.Timeout;
  private pruning?: Promise<number>;
  private stopping = new AbortController();
  published = 0;
  /** Relayed rows this relay removed since it started. */
  pruned = 0;

  constructor(
    private readonly store: OutboxStore,
    private readonly connection: AmqpConnection,
    private readonly log: Logger,
    private readonly opts: { pollMs: number; batchSize: number; pruneEveryMs?: number },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    this.loop = this.run();
    // The first pass a minute after start, not at it: a starting service's first messages get every connection.
    this.pruneTimer = setInterval(() => void this.prune(), this.opts.pruneEveryMs ?? OUTBOX_PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let sent = 0;
      try {
        if (this.connection.isConnected) sent = await this.relayOnce();
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'outbox relay failed; will retry');
      }
      if (sent >= this.opts.batchSize || (sent > 0 && this.kicked)) continue;
      await this.idle();
    }
  }

  private idle(): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.opts.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        this.kicked = false;
        done();
      };
    });
  }

  /** One claimed batch published and marked; returns how many rows went out. */
  async relayOnce(): Promise<number> {
    const n = await this.store.relayBatch(this.opts.batchSize, (rows) => this.connection.publish(rows.map(toOutgoing)));
    this.published += n;
    return n;
  }

  /** Sends everything pending (used on shutdown), within a deadline. */
  async flush(deadline: number): Promise<void> {
    while (Date.now() < deadline && this.connection.isConnected) {
      if ((await this.relayOnce()) === 0) return;
    }
  }

  /**
   * Removes the rows the broker confirmed before outboxCutoff (a day ago), in short batches; one pass at a
   * time (a pass still going when the timer fires again is left to finish), cut short by stop().
   */
  prune(): Promise<number> {
    this.pruning ??= this.store
      .prune(outboxCutoff(new Date()), { signal: this.stopping.signal })
      .then((r) => {
        this.pruned += r.count;
        if (r.count)
          this.log.debug({ count: r.count, batches: r.batches, ms: r.durationMs }, 'outbox: relayed rows removed');
        return r.count;
      })
      .catch((err: Error) => {
        this.log.warn({ err: err.message }, 'outbox: removing relayed rows failed; will retry');
        return 0;
      })
      .finally(() => (this.pruning = undefined));
    return this.pruning;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.pruneTimer);
    this.stopping.abort();
    this.wake?.();
    await Promise.all([this.loop, this.pruning]);
  }
}

function toOutgoing(row: PendingRow): OutgoingMessage {
  const headers = row.headers ?? {};
  return {
    messageId: row.message_id,
    exchange: row.exchange,
    routingKey: row.routing_key,
    body: Buffer.from(row.body),
    properties: {
      persistent: true,
      contentType: 'application/json',
      messageId: row.message_id,
      correlationId: correlationOf(row),
      type: row.type,
      // Rows written before messages stopped carrying a header table keep theirs.
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    },
  };
}

/**
 * The body as toOutgoing writes it (JSON.stringify of an envelope: messageId, then correlationId), with no
 * quote or backslash in either value: the captured text is the value itself, without parsing the body.
 */
const LEADING_IDS = /^\{"messageId":"[^"\\]*","correlationId":"([^"\\]*)"/;

/** The envelope's correlation id (rows written before it left the header table carry it there too). */
function correlationOf(row: PendingRow): string {
  const fromHeader = row.headers?.['x-correlation-id'];
  if (fromHeader !== undefined) return String(fromHeader);
  const leading = LEADING_IDS.exec(row.body);
  if (leading) return leading[1];
  try {
    return String((JSON.parse(row.body) as { correlationId?: unknown }).correlationId ?? '');
  } catch {
    return '';
  }
}
