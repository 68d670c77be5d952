// Consumes one queue: decode and validate, apply the handler once (inbox + outbox in one transaction),
// ack after the commit; on failure retry with a growing delay or park with the reason.
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { runWithCorrelation } from '@lucy/platform';
import {
  describeError,
  isDeferral,
  isPermanent,
  PermanentError,
  WaitOutsideError,
  type DeferError,
} from '../errors.js';
import type { InboxStore } from '../inbox/inbox.store.js';
import type { LeaseStore } from '../lease/lease.store.js';
import type { MessagingMetrics, Outcome } from '../metrics.js';
import type { MessagingOptions } from '../options.js';
import type { OutboxRelay } from '../outbox/outbox.relay.js';
import type { OutboxStore } from '../outbox/outbox.store.js';
import type { AmqpConnection } from '../transport/connection.js';
import { parkedQueueName, retryQueueName } from '../transport/topology.js';
import { decode, type Decoded } from '../transport/wire.js';
import { chooseSqlPath, type SqlPath } from '../persistence/sql-adapter.js';
import { Acker } from './acker.js';
import { admit, type AdmissionHook, type Admitted } from './admission.js';
import { BatchApplier } from './batch-applier.js';
import { attemptsSoFar, deferralHeaders, failureHeaders, H } from './failure-headers.js';
import type { HandlerBinding } from './handler-binding.js';
import { MessageContext } from './message-context.js';
import { AppliedMeanwhile, DEFAULT_LEASE_TTL_MS, OwnRun, OwnTransactionContext } from './own-transactions.js';
import type { Semaphore } from './semaphore.js';

/** Messages waiting together share a transaction: at most maxMessages, as many as fit in maxMs of handler time. */
export const DEFAULT_BATCH = { maxMessages: 32, maxMs: 20 } as const;

/**
 * Times a message may go back to its admission (WaitOutsideError) before it is set aside instead. Each
 * return reserves one call more or waits out a 429 pause, so a handler converges in as many rounds as it
 * makes calls nobody declared; this only stops a handler that never would.
 */
const MAX_ADMISSIONS = 20;

const direct: Admitted = { run: (fn) => fn() };

export interface ConsumerDeps {
  connection: AmqpConnection;
  dataSource?: DataSource;
  /** How the transport's statements reach PostgreSQL (chooseSqlPath; the default path if not given). */
  sql?: SqlPath;
  inbox?: InboxStore;
  outbox?: OutboxStore;
  /** For handlers that take their own transactions and turns per key (own-transactions.ts). */
  leases?: LeaseStore;
  relay?: OutboxRelay;
  metrics: MessagingMetrics;
  log: Logger;
  opts: MessagingOptions;
  /** What a message waits for before it may take a database connection (admission.ts). */
  admissions?: readonly AdmissionHook[];
  /** Database connections this queue may hold, shared with the service's other data queues. */
  dbGate?: Semaphore;
}

export class QueueConsumer {
  private channel?: Channel;
  /** Acks the current channel's deliveries, several in one frame when they finish together. */
  private acker?: Acker;
  private consumerTag?: string;
  private paused = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly handlers: Map<string, HandlerBinding>;
  /** Inbox/outbox transactions shared by messages that wait at the same time (batch-applier.ts). */
  private readonly batch?: BatchApplier;
  lastError: { at: string; error: string } | null = null;

  constructor(
    readonly queue: string,
    bindings: HandlerBinding[],
    private readonly deps: ConsumerDeps,
  ) {
    this.handlers = new Map(bindings.map((b) => [b.definition.id, b]));
    const { dataSource, opts } = deps;
    if (dataSource && (opts.inbox || opts.outbox)) {
      this.batch = new BatchApplier({
        dataSource,
        sql: deps.sql ?? chooseSqlPath(dataSource, opts.sql),
        inbox: opts.inbox ? deps.inbox : undefined,
        outbox: opts.outbox ? deps.outbox : undefined,
        consumer: queue,
        maxWorkers: Math.max(1, opts.prefetch),
        maxMessages: Math.max(1, opts.batchMaxMessages ?? DEFAULT_BATCH.maxMessages),
        maxMs: Math.max(0, opts.batchMaxMs ?? DEFAULT_BATCH.maxMs),
        gate: deps.dbGate,
      });
    }
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Called after every (re)connect: a fresh channel, and consuming unless an operator paused us. */
  async setup(model: ChannelModel): Promise<void> {
    const ch = await model.createChannel();
    ch.on('error', (err: Error) =>
      this.deps.log.warn({ queue: this.queue, err: err.message }, 'consumer channel error'),
    );
    ch.on('close', () => {
      if (this.channel === ch) {
        this.channel = undefined;
        this.acker = undefined;
        this.consumerTag = undefined;
      }
    });
    await ch.prefetch(this.deps.opts.prefetch);
    this.channel = ch;
    this.acker = new Acker(ch);
    this.consumerTag = undefined;
    if (!this.paused) await this.consume();
  }

  private async consume(): Promise<void> {
    const ch = this.channel;
    const acker = this.acker;
    if (!ch || !acker || this.consumerTag) return; // without a channel, the next (re)connect starts consuming
    try {
      const onDelivery = (msg: ConsumeMessage | null) => {
        if (!msg) return;
        acker.received(msg);
        this.track(this.onMessage(acker, msg));
      };
      const { consumerTag } = await ch.consume(this.queue, onDelivery, { noAck: false });
      this.consumerTag = consumerTag;
    } catch (err) {
      this.deps.log.warn(
        { queue: this.queue, err: (err as Error).message },
        'could not start consuming; waiting for the next reconnect',
      );
    }
  }

  /** Stops taking new messages; those in flight finish and are acked. Messages wait in the queue. */
  async pause(): Promise<void> {
    this.paused = true;
    const ch = this.channel;
    const tag = this.consumerTag;
    this.consumerTag = undefined;
    if (ch && tag) await ch.cancel(tag).catch(() => undefined);
  }

  async resume(): Promise<void> {
    this.paused = false;
    await this.consume();
  }

  /** Resolves when every message in flight has been acked, or the deadline passes. */
  async drain(deadline: number): Promise<void> {
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now()))),
      ]);
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async onMessage(acker: Acker, msg: ConsumeMessage): Promise<void> {
    const started = process.hrtime.bigint();
    const failuresBefore = attemptsSoFar(msg.properties);
    let decoded: Decoded | undefined;
    let outcome: Outcome;
    try {
      decoded = decode(msg, (type, version) => this.handlers.get(`${type}@v${version}`)?.definition);
      const d = decoded;
      outcome = await runWithCorrelation(
        {
          correlationId: d.envelope.correlationId,
          causationId: d.envelope.causationId ?? undefined,
          messageId: d.envelope.messageId,
        },
        () => this.apply(d, failuresBefore),
      );
      acker.ack(msg);
    } catch (err) {
      outcome = await this.onFailure(acker, msg, err, failuresBefore, decoded);
    }
    const type = decoded?.definition.id ?? 'unknown';
    this.deps.metrics.consumed.inc({ queue: this.queue, type, outcome });
    this.deps.metrics.duration.observe({ queue: this.queue, type }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /**
   * The admission first, holding nothing but the delivery (no pool connection, no transaction); then the
   * message is applied. A handler that finds it must wait after all (WaitOutsideError) has had its work
   * undone: it goes back to its admission, a few times at most, then it is set aside.
   */
  private async apply(d: Decoded, failuresBefore: number): Promise<Outcome> {
    // Such a handler waits where it is, holding nothing, and cannot be undone and run again: no admission.
    if (this.handlers.get(d.definition.id)!.transaction === 'own') return this.applyOwn(d, failuresBefore);
    const hooks = this.deps.admissions ?? [];
    if (!hooks.length) return this.applyOnce(d, failuresBefore, direct);
    let again: WaitOutsideError | undefined;
    for (let round = 1; ; round++) {
      const admitted = await admit(hooks, {
        queue: this.queue,
        type: d.definition.id,
        envelope: d.envelope,
        payload: d.payload,
        again,
      });
      try {
        return await this.applyOnce(d, failuresBefore, admitted);
      } catch (err) {
        if (!(err instanceof WaitOutsideError) || round >= MAX_ADMISSIONS) throw err;
        again = err;
      }
    }
  }

  private async applyOnce(d: Decoded, failuresBefore: number, admitted: Admitted): Promise<Outcome> {
    const { dataSource, relay, connection, opts } = this.deps;
    const binding = this.handlers.get(d.definition.id)!;
    const attempt = failuresBefore + 1;
    const isLast = attempt > opts.retryDelaysMs.length;
    if (!dataSource) {
      const ctx = new MessageContext(d.envelope, undefined as never, attempt, isLast);
      await admitted.run(async () => binding.handle(d.payload, ctx));
      if (ctx.outgoing.length) {
        await connection.publish(ctx.outgoing);
        this.deps.metrics.published.inc({ via: 'direct' }, ctx.outgoing.length);
      }
      return 'applied';
    }
    let ctx: MessageContext | undefined;
    let applied: boolean;
    if (this.batch) {
      // The handler runs in whichever worker takes it: give it this message's correlation there too.
      const correlation = {
        correlationId: d.envelope.correlationId,
        causationId: d.envelope.causationId ?? undefined,
        messageId: d.envelope.messageId,
      };
      const result = await this.batch.apply(d.envelope.messageId, d.definition.id, (manager) =>
        runWithCorrelation(correlation, async () => {
          const c = new MessageContext(d.envelope, manager, attempt, isLast);
          await admitted.run(async () => binding.handle(d.payload, c));
          return c;
        }),
      );
      applied = result.applied;
      if (result.applied) ctx = result.ctx;
    } else {
      // Neither inbox nor outbox: no transaction of the transport's around the handler.
      const release = await this.deps.dbGate?.acquire();
      try {
        const c = (ctx = new MessageContext(d.envelope, dataSource.manager, attempt, isLast));
        await admitted.run(async () => binding.handle(d.payload, c));
        applied = true;
      } finally {
        release?.();
      }
    }
    if (!applied) return 'duplicate';
    if (opts.outbox) {
      if (ctx!.outgoing.length) relay?.kick();
    } else if (ctx!.outgoing.length) {
      await connection.publish(ctx!.outgoing);
      this.deps.metrics.published.inc({ via: 'direct' }, ctx!.outgoing.length);
    }
    return 'applied';
  }

  /** A handler with transactions of its own (own-transactions.ts): lease, inbox read, handler, last commit. */
  private async applyOwn(d: Decoded, failuresBefore: number): Promise<Outcome> {
    const { dataSource, inbox, outbox, leases, relay, connection, opts, log } = this.deps;
    const binding = this.handlers.get(d.definition.id)!;
    const attempt = failuresBefore + 1;
    const run = new OwnRun(
      {
        dataSource: dataSource!,
        inbox: opts.inbox ? inbox : undefined,
        outbox: opts.outbox ? outbox : undefined,
        leases: leases!,
        gate: this.deps.dbGate,
        consumer: this.queue,
        leaseTtlMs: opts.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
        log,
      },
      d.envelope.messageId,
      d.definition.id,
      binding.lease?.(d.payload),
    );
    let ctx: OwnTransactionContext;
    try {
      if (await run.begin()) return 'duplicate';
      ctx = new OwnTransactionContext(d.envelope, attempt, attempt > opts.retryDelaysMs.length, run);
      await binding.handle(d.payload, ctx);
      if (!ctx.committed) await ctx.commit();
    } catch (err) {
      if (err instanceof AppliedMeanwhile) return 'duplicate';
      throw err;
    } finally {
      await run.end();
    }
    if (opts.outbox) {
      if (ctx.outgoing.length) relay?.kick();
    } else if (ctx.outgoing.length) {
      await connection.publish(ctx.outgoing);
      this.deps.metrics.published.inc({ via: 'direct' }, ctx.outgoing.length);
    }
    return 'applied';
  }

  private async onFailure(
    acker: Acker,
    msg: ConsumeMessage,
    err: unknown,
    failuresBefore: number,
    decoded?: Decoded,
  ): Promise<Outcome> {
    if (isDeferral(err)) return this.defer(acker, msg, err, decoded);
    const failures = failuresBefore + 1;
    const reason = describeError(err);
    const code = err instanceof PermanentError ? err.code : (err as { code?: string })?.code;
    this.lastError = { at: new Date().toISOString(), error: reason };
    const delays = this.deps.opts.retryDelaysMs;
    const park = isPermanent(err) || failures > delays.length;
    const target = park ? parkedQueueName(this.queue) : retryQueueName(this.queue, delays[failures - 1]);
    const log = this.deps.log.child({
      queue: this.queue,
      messageId: decoded?.envelope.messageId ?? msg.properties.messageId,
      type: decoded?.definition.id,
    });
    try {
      const headers = failureHeaders(msg.properties, this.queue, reason, code, failures);
      if (park) headers[H.parkedAt] = new Date().toISOString();
      await this.deps.connection.publish([
        {
          messageId: String(msg.properties.messageId ?? ''),
          exchange: '',
          routingKey: target,
          body: msg.content,
          properties: { ...msg.properties, persistent: true, headers },
        },
      ]);
      acker.ack(msg);
      if (park) log.error({ err: reason, attempts: failures }, 'message parked');
      else log.warn({ err: reason, attempt: failures, retryInMs: delays[failures - 1] }, 'message failed; will retry');
      return park ? 'parked' : 'retried';
    } catch (publishErr) {
      // Could not move it aside (broker trouble): give it back so it is not lost, and try again later.
      log.warn({ err: reason, publishErr: describeError(publishErr) }, 'could not retry or park; requeueing');
      acker.requeue(msg);
      return 'requeued';
    }
  }

  /**
   * Sets the message aside in the retry tier that covers the delay asked (the longest if none does),
   * attempts untouched. Not nack-with-requeue: that would hand it straight back to a consumer that cannot
   * use it yet (a hot loop), and quorum queues count such redeliveries against their delivery limit.
   */
  private async defer(acker: Acker, msg: ConsumeMessage, err: DeferError, decoded?: Decoded): Promise<Outcome> {
    const reason = describeError(err);
    const delays = [...new Set(this.deps.opts.retryDelaysMs)].sort((a, b) => a - b);
    const delay = delays.find((d) => d >= (err.delayMs ?? 0)) ?? delays.at(-1);
    const log = this.deps.log.child({
      queue: this.queue,
      messageId: decoded?.envelope.messageId ?? msg.properties.messageId,
      type: decoded?.definition.id,
    });
    try {
      if (delay === undefined) throw new Error('no retry tier to defer to');
      await this.deps.connection.publish([
        {
          messageId: String(msg.properties.messageId ?? ''),
          exchange: '',
          routingKey: retryQueueName(this.queue, delay),
          body: msg.content,
          properties: { ...msg.properties, persistent: true, headers: deferralHeaders(msg.properties, reason) },
        },
      ]);
      acker.ack(msg);
      log.info({ reason, retryInMs: delay }, 'message deferred; attempt not counted');
      return 'deferred';
    } catch (publishErr) {
      log.warn({ reason, publishErr: describeError(publishErr) }, 'could not defer; requeueing');
      acker.requeue(msg);
      return 'requeued';
    }
  }

  async close(): Promise<void> {
    this.acker?.flush(); // acks asked for in this tick go out before the channel closes
    await this.channel?.close().catch(() => undefined);
    this.channel = undefined;
    this.acker = undefined;
  }
}
