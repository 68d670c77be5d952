// The transport assembled: connection, topology, consumers, outbox relay, parked-message admin.
// Framework-free so tests and benchmarks can run several "services" in one process; nest/ adapts it.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import type { MessageDefinition, Payload } from '@lucy/contracts';
import { currentCorrelation, RESERVED_CONNECTIONS } from '@lucy/platform';
import { randomUUID } from 'node:crypto';
import { ParkedMessages } from './admin/parked-messages.js';
import { isControlQueue, type AdmissionHook } from './consumer/admission.js';
import { reportingFailures, type FailureReport } from './consumer/failure-report.js';
import type { HandlerBinding, HandlerFn, TransactionOptions } from './consumer/handler-binding.js';
import type { MessageContext } from './consumer/message-context.js';
import type { OwnTransactionContext } from './consumer/own-transactions.js';
import { QueueConsumer } from './consumer/queue-consumer.js';
import { Semaphore } from './consumer/semaphore.js';
import { InboxStore } from './inbox/inbox.store.js';
import { LeaseStore } from './lease/lease.store.js';
import { MessagingMetrics } from './metrics.js';
import type { MessagingOptions } from './options.js';
import { registerOutboxMetrics } from './outbox/outbox.metrics.js';
import { OutboxRelay } from './outbox/outbox.relay.js';
import { OutboxStore } from './outbox/outbox.store.js';
import { chooseSqlPath, type SqlPath } from './persistence/sql-adapter.js';
import { AmqpConnection } from './transport/connection.js';
import { assertExchanges, assertQueue } from './transport/topology.js';
import { buildEnvelope, exchangeFor, toOutgoing, type Causation, type OutgoingMessage } from './transport/wire.js';

export interface QueueStatus {
  queue: string;
  messages: number;
  consumers: number;
  parked: number;
  paused: boolean;
  inFlight: number;
  lastError: { at: string; error: string } | null;
}

/** What code outside a handler uses to publish inside its own transaction. */
export interface TransactionScope {
  manager: EntityManager;
  publish<D extends MessageDefinition>(def: D, payload: Payload<D>): void;
}

export class MessagingRuntime {
  readonly connection: AmqpConnection;
  readonly parked: ParkedMessages;
  readonly metrics: MessagingMetrics;
  private readonly bindings: HandlerBinding[] = [];
  private readonly consumers = new Map<string, QueueConsumer>();
  private readonly outboxStore?: OutboxStore;
  private readonly inboxStore?: InboxStore;
  private readonly leaseStore?: LeaseStore;
  private readonly relay?: OutboxRelay;
  private readonly admissions = new Map<string, AdmissionHook[]>();
  /** Pool connections the data queues may hold together (dbGateOf). */
  readonly dbGate?: Semaphore;
  private started = false;
  /** How the transport's statements reach PostgreSQL (persistence/sql-adapter.ts), with a DataSource. */
  readonly sql?: SqlPath;

  constructor(
    readonly opts: MessagingOptions,
    private readonly deps: { log: Logger; dataSource?: DataSource; registry?: Registry },
  ) {
    this.connection = new AmqpConnection(opts.url, deps.log.child({ component: 'amqp' }));
    this.parked = new ParkedMessages(this.connection);
    this.metrics = new MessagingMetrics(deps.registry);
    if (deps.dataSource) {
      this.sql = chooseSqlPath(deps.dataSource, opts.sql);
      this.outboxStore = new OutboxStore(deps.dataSource, this.sql);
      this.inboxStore = new InboxStore(deps.dataSource);
      this.leaseStore = new LeaseStore(deps.dataSource);
      if (opts.outbox) {
        this.relay = new OutboxRelay(this.outboxStore, this.connection, deps.log.child({ component: 'outbox' }), {
          pollMs: opts.outboxPollMs,
          batchSize: opts.outboxBatchSize,
        });
        const store = this.outboxStore;
        if (deps.registry) registerOutboxMetrics(deps.registry, () => store.backlog());
      }
      this.dbGate = dbGateOf(deps.dataSource);
    } else if (opts.inbox || opts.outbox) {
      throw new Error('messaging: the inbox and the outbox need a DataSource');
    }
  }

  /**
   * Something every message of `queue` waits for before it may take a database connection (a rate slot,
   * a closed breaker): consumer/admission.ts. Call before start().
   */
  admit(queue: string, hook: AdmissionHook): void {
    if (this.started) throw new Error('messaging: register admissions before start()');
    this.admissions.set(queue, [...(this.admissions.get(queue) ?? []), hook]);
  }

  get defaultQueue(): string {
    return this.opts.service;
  }

  /** Registers a handler; call before start(). */
  handle<D extends MessageDefinition>(
    def: D,
    fn: (payload: Payload<D>, ctx: MessageContext) => unknown,
    options?: { queue?: string; name?: string; transaction?: 'message'; onFailure?: FailureReport<D, any> },
  ): void;
  /** A handler that takes its own short transactions and commits last (consumer/own-transactions.ts). */
  handle<D extends MessageDefinition>(
    def: D,
    fn: (payload: Payload<D>, ctx: OwnTransactionContext) => unknown,
    options: {
      queue?: string;
      name?: string;
      transaction: 'own';
      lease?: (payload: Payload<D>) => string;
      onFailure?: FailureReport<D, any>;
    },
  ): void;
  handle<D extends MessageDefinition>(
    def: D,
    fn: (payload: Payload<D>, ctx: never) => unknown,
    options: { queue?: string; name?: string; onFailure?: FailureReport<D, any> } & TransactionOptions = {},
  ): void {
    if (this.started) throw new Error('messaging: register handlers before start()');
    const queue = options.queue ?? this.defaultQueue;
    if (this.bindings.some((b) => b.queue === queue && b.definition.id === def.id))
      throw new Error(`messaging: two handlers for ${def.id} on ${queue}`);
    if (options.transaction === 'own' && !this.leaseStore)
      throw new Error(`messaging: ${def.id} takes its own transactions, which need a DataSource`);
    this.bindings.push({
      definition: def,
      queue,
      name: options.name ?? def.id,
      // `onFailure`: the handler fails for good by publishing that event rather than being parked.
      handle: options.onFailure
        ? reportingFailures(fn as HandlerFn, options.onFailure, this.deps.log.child({ component: 'consumer' }))
        : (fn as HandlerFn),
      transaction: options.transaction,
      lease: options.lease,
      onFailure: options.onFailure,
    });
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const queues = [...new Set(this.bindings.map((b) => b.queue))];
    for (const queue of queues) {
      const bindings = this.bindings.filter((b) => b.queue === queue);
      this.consumers.set(
        queue,
        new QueueConsumer(queue, bindings, {
          connection: this.connection,
          dataSource: this.deps.dataSource,
          sql: this.sql,
          inbox: this.inboxStore,
          outbox: this.outboxStore,
          leases: this.leaseStore,
          relay: this.relay,
          metrics: this.metrics,
          log: this.deps.log.child({ component: 'consumer' }),
          opts: this.opts,
          admissions: this.admissions.get(queue),
          // The control queue is not gated: it finds a free connection however busy the data queues are.
          dbGate: isControlQueue(queue) ? undefined : this.dbGate,
        }),
      );
    }
    await this.connection.start();
    await this.connection.addSetup(async (model) => {
      const ch = await model.createChannel();
      try {
        await assertExchanges(ch);
        for (const queue of queues) {
          const routes = this.bindings
            .filter((b) => b.queue === queue)
            .map((b) => ({ queue, exchange: exchangeFor(b.definition), routingKey: b.definition.routingKey }));
          await assertQueue(ch, this.opts, queue, routes);
        }
      } finally {
        await ch.close().catch(() => undefined);
      }
      for (const consumer of this.consumers.values()) await consumer.setup(model);
    });
    this.relay?.start();
  }

  /**
   * Publishes from outside a handler. With the outbox on, the message is written in its own transaction
   * (or the one given) and relayed; with it off, it is published and confirmed now.
   */
  async publish<D extends MessageDefinition>(def: D, payload: Payload<D>, cause?: Partial<Causation>): Promise<string> {
    const msg = toOutgoing(def, buildEnvelope(def, payload, this.causation(cause)));
    if (this.opts.outbox && this.outboxStore) {
      // One INSERT is atomic on its own: without anything watching transactions, no BEGIN/COMMIT around it,
      // and publish() calls made at the same time share one.
      if (this.outboxStore.unwatched) await this.outboxStore.addAlone([msg]);
      else await this.deps.dataSource!.transaction((m) => this.outboxStore!.add(m, [msg]));
      this.relay?.kick();
    } else {
      await this.connection.publish([msg]);
      this.metrics.published.inc({ via: 'direct' });
    }
    return msg.messageId;
  }

  /** Runs `work` in one transaction; what it publishes is sent only if the transaction commits. */
  async inTransaction<T>(work: (scope: TransactionScope) => Promise<T>, cause?: Partial<Causation>): Promise<T> {
    if (!this.deps.dataSource || !this.outboxStore) throw new Error('messaging: inTransaction needs the outbox');
    const outgoing: OutgoingMessage[] = [];
    const causation = this.causation(cause);
    const result = await this.deps.dataSource.transaction(async (manager) => {
      const value = await work({
        manager,
        publish: (def, payload) => outgoing.push(toOutgoing(def, buildEnvelope(def, payload, causation))),
      });
      await this.outboxStore!.add(manager, outgoing);
      return value;
    });
    if (outgoing.length) this.relay?.kick();
    return result;
  }

  private causation(cause?: Partial<Causation>): Causation {
    const current = currentCorrelation();
    return {
      correlationId: cause?.correlationId ?? current?.correlationId ?? randomUUID(),
      causationId: cause?.causationId ?? current?.messageId ?? null,
    };
  }

  queues(): string[] {
    return [...this.consumers.keys()];
  }

  async pause(queue: string): Promise<void> {
    await this.consumer(queue).pause();
  }

  async resume(queue: string): Promise<void> {
    await this.consumer(queue).resume();
  }

  private consumer(queue: string): QueueConsumer {
    const c = this.consumers.get(queue);
    if (!c) throw new Error(`messaging: this service does not consume ${queue}`);
    return c;
  }

  async queueStatus(): Promise<QueueStatus[]> {
    const out: QueueStatus[] = [];
    const ch = await this.connection.openChannel();
    try {
      for (const [queue, c] of this.consumers) {
        const q = await ch.checkQueue(queue);
        const p = await ch.checkQueue(`${queue}.parked`);
        out.push({
          queue,
          messages: q.messageCount,
          consumers: q.consumerCount,
          parked: p.messageCount,
          paused: c.isPaused,
          inFlight: c.inFlightCount,
          lastError: c.lastError,
        });
      }
    } finally {
      await ch.close().catch(() => undefined);
    }
    return out;
  }

  async outboxPending(): Promise<number> {
    return this.outboxStore ? this.outboxStore.pendingCount() : 0;
  }

  /** Graceful stop: stop taking messages, finish those in flight, flush the outbox, close. */
  async stop(): Promise<void> {
    if (!this.started) return;
    const deadline = Date.now() + this.opts.shutdownTimeoutMs;
    for (const c of this.consumers.values()) await c.pause();
    await Promise.all([...this.consumers.values()].map((c) => c.drain(deadline)));
    if (this.relay) {
      await this.relay.stop();
      await this.relay
        .flush(deadline)
        .catch((err) => this.deps.log.warn({ err: String(err) }, 'outbox flush on shutdown failed'));
    }
    for (const c of this.consumers.values()) await c.close();
    await this.connection.close();
    this.started = false;
  }
}

/**
 * The pool's size less the connections kept for what must never wait behind the data queues (the control
 * queue, the outbox relay, HTTP: platform's dataSourceOptions opens them on top of DB_POOL_SIZE), at
 * least one, as a gate the data queues share.
 */
function dbGateOf(ds: DataSource): Semaphore {
  const o = ds.options as { extra?: { max?: number }; poolSize?: number };
  const size = Number(o.extra?.max ?? o.poolSize ?? 10);
  return new Semaphore(Math.max(1, size - RESERVED_CONNECTIONS));
}
