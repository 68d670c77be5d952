// Publishes committed outbox rows with publisher confirms. Woken right after a commit in this process
// (kick), and by a timer for rows other processes committed or a crashed relay left behind.
import type { Logger } from 'pino';
import type { AmqpConnection } from '../transport/connection.js';
import type { OutboxStore, PendingRow } from './outbox.store.js';
import type { OutgoingMessage } from '../transport/wire.js';

export class OutboxRelay {
  private running = false;
  private wake?: () => void;
  private kicked = false;
  private loop?: Promise<void>;
  private lastPrune = 0;
  published = 0;

  constructor(
    private readonly store: OutboxStore,
    private readonly connection: AmqpConnection,
    private readonly log: Logger,
    private readonly opts: { pollMs: number; batchSize: number; keepSentMs?: number },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
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
        await this.maybePrune();
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

  private async maybePrune(): Promise<void> {
    const keep = this.opts.keepSentMs ?? 24 * 3600_000;
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    await this.store.prune(keep);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
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
