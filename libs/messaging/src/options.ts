// Everything the transport needs to know, validated where the service reads its environment.
export interface MessagingOptions {
  /** Service name: the default queue is named after it (`teams-service`). */
  service: string;
  url: string;
  /** Unacked messages a consumer channel holds at once (bounded prefetch). */
  prefetch: number;
  queueType: 'classic' | 'quorum';
  /** Delay before each retry of a transiently failing message; its length is the retry budget. */
  retryDelaysMs: number[];
  /** Off only for benchmarks and tools: without them there is no exactly-once effect. */
  inbox: boolean;
  outbox: boolean;
  /** How often the outbox relay looks for rows committed by other processes or left by a crash. */
  outboxPollMs: number;
  outboxBatchSize: number;
  /**
   * Messages that wait for the database at the same time share one transaction (each handler behind its
   * own savepoint, every message acked after the commit): at most this many in one (default 32; 1 = one
   * transaction each) …
   */
  batchMaxMessages?: number;
  /**
   * … and only as many as the handlers' recent pace fits in this much handler time, handing back the rest
   * once they have run this long, so slow handlers keep a transaction each (default 20 ms).
   */
  batchMaxMs?: number;
  /**
   * How long a lease of an own-transaction handler lasts without renewal (default 30 s): a delivery whose
   * process died holds its key this long at most (consumer/own-transactions.ts).
   */
  leaseTtlMs?: number;
  /**
   * How the transport's own statements reach PostgreSQL (persistence/sql-adapter.ts): `direct` (several in
   * one round trip on the pg client; used only where nothing watches the DataSource) or `typeorm` (TypeORM's
   * public API only). Default: MESSAGING_SQL, else typeorm (as fast: bench:messaging).
   */
  sql?: 'direct' | 'typeorm';
  /**
   * Answer the gateway's retention runs (PurgarRetencion) from `<service>.retencion`: parked messages,
   * inbox ids and relayed outbox rows past their age (retention/). Needs a DataSource.
   */
  retention?: boolean;
  /** How long shutdown waits for in-flight messages and the outbox before closing anyway. */
  shutdownTimeoutMs: number;
  /** The transport's own log level (the service's LOG_LEVEL). */
  logLevel?: string;
}

export const EXCHANGES = {
  events: 'lucy.events',
  commands: 'lucy.commands',
  /** Alternate exchange: a message no queue is bound for lands in `lucy.unrouted` instead of vanishing. */
  unrouted: 'lucy.unrouted',
} as const;

export function messagingDefaults(service: string, url = 'amqp://guest:guest@127.0.0.1:5672'): MessagingOptions {
  return {
    service,
    url,
    prefetch: 20,
    queueType: 'classic',
    retryDelaysMs: [1000, 5000, 30_000, 120_000],
    inbox: true,
    outbox: true,
    outboxPollMs: 1000,
    outboxBatchSize: 200,
    shutdownTimeoutMs: 10_000,
  };
}
