// Handlers that run outside one long transaction: `@Handler(Def, { transaction: 'own', lease })`.
//
// Why. A handler that calls a rate-limited API several times (teams-service: find, create, licence,
// password) would otherwise hold the message's transaction, a row lock and a pooled connection while each
// call waits for its rate slot or sleeps through a 429's Retry-After: under a slowed rate and a deep
// queue the pool fills. Reserving every slot before the transaction (admission.ts) does not fit such a
// handler: its later calls then go out together, early, above the rate. So here the handler waits where
// it is, holding nothing, and reads or writes in short transactions of its own.
//
// What still holds. The message is applied once and what it publishes goes with its commit: the last
// transaction (`ctx.commit`) claims it in the inbox, ends the lease and writes the outbox rows with the
// handler's last writes (the transport commits it for a handler that does not). Deliveries that touch the
// same key (`lease(payload)`: the same student) take turns: the lease is taken before the handler runs
// (a live one held by another delivery sets this one aside, no attempt counted), renewed while it runs,
// and once it is ours the inbox is read, so a duplicate is known before any external call is made. A lease
// whose holder died expires (`leaseTtlMs`) and the next delivery takes it over.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { Envelope, MessageDefinition, Payload } from '@lucy/contracts';
import { DeferError, describeError } from '../errors.js';
import type { InboxStore } from '../inbox/inbox.store.js';
import type { LeaseStore } from '../lease/lease.store.js';
import type { OutboxStore } from '../outbox/outbox.store.js';
import type { OutgoingMessage } from '../transport/wire.js';
import { HandlerContext } from './message-context.js';
import type { Semaphore } from './semaphore.js';

/** How long a lease lasts without renewal (a holder renews every third of it). */
export const DEFAULT_LEASE_TTL_MS = 30_000;
/** A delivery that finds the key leased comes back after about this long (the nearest retry tier). */
const LEASE_HELD_RETRY_MS = 1000;

/** What an own-transaction handler's context does with the database. */
export interface OwnTransactions {
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  commit<T>(outgoing: readonly OutgoingMessage[], work: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/**
 * The context of a `transaction: 'own'` handler. No transaction is open while it runs: `transaction()`
 * for a short one (what it writes commits at once; wait for nothing inside it), `commit()` for the last.
 */
export class OwnTransactionContext extends HandlerContext {
  private done = false;

  constructor(
    envelope: Envelope,
    attempt: number,
    isLastAttempt: boolean,
    private readonly tx: OwnTransactions,
  ) {
    super(envelope, attempt, isLastAttempt);
  }

  get committed(): boolean {
    return this.done;
  }

  /** A short transaction of the handler's own. Never nest one in another, nor wait for an API inside. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.transaction(work);
  }

  /**
   * The message's last transaction: its inbox claim, `work`, and the outbox rows of everything published
   * so far (and inside `work`) commit together. Once. If it fails, what was published is dropped with it.
   */
  async commit<T>(work: (manager: EntityManager) => Promise<T> = async () => undefined as T): Promise<T> {
    if (this.done) throw new Error('messaging: a message commits once');
    try {
      const out = await this.tx.commit(this.outgoing, work);
      this.done = true;
      return out;
    } catch (err) {
      this.outgoing.length = 0;
      throw err;
    }
  }

  override publish<D extends MessageDefinition>(def: D, payload: Payload<D>): void {
    if (this.done) throw new Error('messaging: publish() after the commit would never be sent');
    super.publish(def, payload);
  }
}

/** Another delivery of the key is under way: this one comes back later, no attempt counted. */
export class LeaseHeld extends DeferError {
  override readonly name = 'LeaseHeld';
}

/** The lease ran out and another delivery took it over before this one committed: nothing is committed. */
export class LeaseLost extends DeferError {
  override readonly name = 'LeaseLost';
}

/** At the commit the inbox already had the message (another delivery, without a lease, applied it). */
export class AppliedMeanwhile extends DeferError {
  override readonly name = 'AppliedMeanwhile';
}

export interface OwnRunDeps {
  dataSource: DataSource;
  inbox?: InboxStore;
  outbox?: OutboxStore;
  leases: LeaseStore;
  /** The data queues' connections (runtime.ts dbGateOf): every short transaction takes one. */
  gate?: Semaphore;
  consumer: string;
  leaseTtlMs: number;
  log: Logger;
}

/** One delivery of an own-transaction handler: its lease, its short transactions, its commit. */
export class OwnRun implements OwnTransactions {
  private readonly holder = randomUUID();
  private leased = false;
  /** The last commit is under way: it ends the lease, so a renewal that finds none is no news. */
  private committing = false;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly d: OwnRunDeps,
    private readonly messageId: string,
    private readonly type: string,
    private readonly key: string | undefined,
  ) {}

  /** Takes the key's lease (LeaseHeld while another delivery has it); true when the message was applied before. */
  async begin(): Promise<boolean> {
    const { leases, consumer, leaseTtlMs, inbox, log } = this.d;
    if (this.key !== undefined) {
      const key = this.key;
      const took = await this.gated(() => leases.take(consumer, key, this.holder, leaseTtlMs));
      if (took === 'held')
        throw new LeaseHeld(`${consumer}: another message for ${key} is being handled`, LEASE_HELD_RETRY_MS);
      if (took === 'taken-over') log.warn({ queue: consumer, key }, 'took over a lease whose holder stopped renewing');
      this.leased = true;
      this.heartbeat = setInterval(() => void this.renew(key), Math.max(100, leaseTtlMs / 3));
      this.heartbeat.unref();
    }
    // After the lease: whoever held it before has committed (its claim is visible now) or given up.
    return inbox ? this.gated(() => inbox.isApplied(consumer, this.messageId)) : false;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.gated(() => this.d.dataSource.transaction(work));
  }

  async commit<T>(outgoing: readonly OutgoingMessage[], work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { inbox, outbox, leases, consumer } = this.d;
    this.committing = true;
    try {
      const out = await this.transaction(async (manager) => {
        if (inbox && !(await inbox.claim(manager, consumer, this.messageId, this.type)))
          throw new AppliedMeanwhile(`${consumer}: ${this.messageId} was applied by another delivery`);
        if (this.leased && !(await leases.releaseIn(manager, consumer, this.key!, this.holder)))
          throw new LeaseLost(`${consumer}: the lease on ${this.key} ran out before the commit`);
        const value = await work(manager);
        if (outbox) await outbox.add(manager, outgoing);
        return value;
      });
      this.leased = false; // ended with the commit
      this.stopHeartbeat();
      return out;
    } finally {
      this.committing = false;
    }
  }

  /** After the delivery, whatever happened: a lease still held (a failure, a deferral) is given back. */
  async end(): Promise<void> {
    this.stopHeartbeat();
    if (!this.leased) return;
    this.leased = false;
    const { leases, consumer, log } = this.d;
    // If this fails the lease simply expires.
    await this.gated(() => leases.release(consumer, this.key!, this.holder)).catch((err) =>
      log.warn({ queue: consumer, key: this.key, err: describeError(err) }, 'could not release a lease'),
    );
  }

  private async renew(key: string): Promise<void> {
    const { leases, consumer, leaseTtlMs, log } = this.d;
    try {
      if (!this.leased) return;
      const kept = await this.gated(() => leases.renew(consumer, key, this.holder, leaseTtlMs));
      if (!kept && this.leased && !this.committing)
        log.warn({ queue: consumer, key }, 'lease lost while handling (it ran out): the commit will not happen');
    } catch (err) {
      log.warn({ queue: consumer, key, err: describeError(err) }, 'could not renew a lease');
    }
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private async gated<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.d.gate?.acquire();
    try {
      return await fn();
    } finally {
      release?.();
    }
  }
}
