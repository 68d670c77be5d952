// Applies a queue's messages in as few transactions and round trips as the load allows, with the same
// promise for each message as one transaction per message: its inbox row, its handler's writes and its
// outbox rows commit together or not at all, and it is acked only after that commit.
//
// How. Messages that arrive while the open transactions are busy wait in `waiting`; the next transaction
// takes the waiting ones in, claims them all in one INSERT sent with BEGIN, runs their handlers one after
// the other, and sends their outbox rows with COMMIT: two round trips for the lot, instead of four for each.
// A handler's first query is preceded by a savepoint, so a handler that fails undoes only its own writes
// (and its claim is deleted): it is retried or parked alone, as before. A handler that never touches the
// database costs no savepoint.
//
// Slow handlers keep a transaction each: a transaction takes no more messages than fit in `maxMs` at the
// handlers' recent pace (one while they are slow), and once its handlers have run `maxMs` it hands the rest
// back (their claims deleted in the commit). At most `maxWorkers` transactions are open at once (the
// prefetch: as many as one transaction per message had). The transport's statements go through an
// SqlSession (persistence/sql-adapter.ts): straight to the pg client, or through TypeORM's public API.
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { TransientError } from '../errors.js';
import type { InboxStore } from '../inbox/inbox.store.js';
import type { OutboxStore } from '../outbox/outbox.store.js';
import { openSqlSession, type SqlPath, type SqlSession } from '../persistence/sql-adapter.js';
import type { OutgoingMessage } from '../transport/wire.js';
import type { MessageContext } from './message-context.js';
import type { Semaphore } from './semaphore.js';

export type Applied = { applied: false } | { applied: true; ctx: MessageContext };

interface Job {
  messageId: string;
  type: string;
  /** Runs the handler with the transaction's manager; resolves with its context (what it published). */
  run: (manager: EntityManager) => Promise<MessageContext>;
  resolve: (result: Applied) => void;
  reject: (err: unknown) => void;
}

export interface BatchApplierOptions {
  dataSource: DataSource;
  /** How the transport's statements reach PostgreSQL (chooseSqlPath). */
  sql: SqlPath;
  /** The inbox to claim in, or none (inbox off). */
  inbox?: InboxStore;
  /** The outbox to write in the same transaction, or none (outbox off: the caller publishes after commit). */
  outbox?: OutboxStore;
  consumer: string;
  maxWorkers: number;
  maxMessages: number;
  maxMs: number;
  /** Shared by the service's data queues: the connections they may hold together (the rest of the pool is the control queue's). */
  gate?: Semaphore;
}

const SAVEPOINT = 'lucy_message';

type QueryFn = QueryRunner['query'];

export class BatchApplier {
  private readonly waiting: Job[] = [];
  private workers = 0;
  /** Workers still getting a connection: each will take up to batchSize() of what waits. */
  private starting = 0;
  /** Recent handler duration (ms), to size transactions; starts high so the first ones hold one message. */
  private handlerMs: number;

  constructor(private readonly o: BatchApplierOptions) {
    this.handlerMs = Math.max(1, o.maxMs);
  }

  apply(messageId: string, type: string, run: Job['run']): Promise<Applied> {
    return new Promise<Applied>((resolve, reject) => {
      this.waiting.push({ messageId, type, run, resolve, reject });
      this.spawn();
    });
  }

  /**
   * Starts workers for what waits beyond what the starting ones (still getting a connection) will take: a
   * burst of deliveries goes to one transaction, not to one worker per delivery that each find a few (or
   * none) left when their connection comes. Slow handlers (batches of one) still get a worker each.
   */
  private spawn(): void {
    while (this.waiting.length > this.starting * this.batchSize() && this.workers < this.o.maxWorkers) {
      this.workers++;
      this.starting++;
      void this.work()
        .catch(() => undefined) // work() settles every job it takes; nothing else can fail it
        .finally(() => {
          this.workers--;
          this.spawn();
        });
    }
  }

  /** Takes a connection and runs transactions on it while messages wait. */
  private async work(): Promise<void> {
    let starting = true;
    const started = () => {
      if (starting) {
        starting = false;
        this.starting--;
      }
    };
    try {
      while (this.waiting.length > 0) {
        const allowed = await this.o.gate?.acquire();
        const session = openSqlSession(this.o.dataSource, this.o.sql);
        try {
          try {
            await session.connect(); // may wait for the pool, while other workers take what waits
          } catch (err) {
            // No connection (the database is down): the message that would have used it fails as it would alone.
            started();
            this.waiting.shift()?.reject(err);
            continue;
          }
          started();
          // After a failed statement of ours, start again on a fresh connection.
          while (this.waiting.length > 0 && (await this.transaction(session)));
        } finally {
          await session.release();
          allowed?.();
        }
      }
    } finally {
      started();
    }
  }

  /** How many waiting messages the next transaction takes. */
  private batchSize(): number {
    const { maxMessages, maxMs } = this.o;
    return Math.max(1, Math.min(maxMessages, Math.floor(maxMs / Math.max(this.handlerMs, 0.05))));
  }

  /** One transaction; false if a statement of ours failed (every job it took is settled or handed back). */
  private async transaction(session: SqlSession): Promise<boolean> {
    const qr = session.queryRunner;
    const { inbox, outbox, maxMs, consumer } = this.o;
    const taken = this.waiting.splice(0, this.batchSize());
    if (this.waiting.length > 0) this.spawn(); // more than this transaction takes: another worker for the rest
    // A second copy of a message (a redelivery next to the original) waits for the next transaction, where
    // the inbox tells whether the first copy was applied — as it would wait on the inbox row's lock.
    const jobs: Job[] = [];
    const handBack: Job[] = [];
    const ids = new Set<string>();
    for (const j of taken) {
      if (ids.has(j.messageId)) handBack.push(j);
      else {
        ids.add(j.messageId);
        jobs.push(j);
      }
    }
    const done: { job: Job; result: Applied }[] = [];
    const unclaim: Job[] = []; // claimed here, not applied: failed without touching the database, or handed back
    const outgoing: OutgoingMessage[] = [];
    let next = 0; // jobs[next..] have not been looked at
    let claimedAll = false;
    const original = qr.query;
    try {
      const rows = await session.begin(...(inbox ? [inbox.claimManySql(consumer, jobs)] : []));
      claimedAll = true;
      const claimed = inbox ? new Set(rows.map((r) => String(r.message_id))) : undefined;

      // The savepoint, sent just before the first query of the handler running now (if it makes one).
      let arm = false;
      const sp: { savepoint?: Promise<unknown> } = {};
      const call = (...args: unknown[]) => (original as (...a: unknown[]) => Promise<unknown>).apply(qr, args);
      qr.query = ((...args: unknown[]) => {
        if (arm) {
          arm = false;
          sp.savepoint = call(`SAVEPOINT ${SAVEPOINT}`);
        }
        const before = sp.savepoint;
        return before ? before.then(() => call(...args)) : call(...args);
      }) as QueryFn;

      let ranMs = 0;
      for (; next < jobs.length; next++) {
        const job = jobs[next];
        if (claimed && !claimed.has(job.messageId)) {
          done.push({ job, result: { applied: false } }); // applied before: nothing to do; acked after the commit
          continue;
        }
        if (ranMs >= maxMs) {
          handBack.push(job); // a slow batch: the rest go to another transaction
          if (claimed) unclaim.push(job);
          continue;
        }
        arm = true;
        sp.savepoint = undefined;
        const t = performance.now();
        let ctx: MessageContext;
        try {
          ctx = await job.run(session.manager);
        } catch (err) {
          arm = false;
          job.reject(err); // retried or parked alone; its work is undone right here
          const savepoint = sp.savepoint as Promise<unknown> | undefined; // set by the handler's first query, if any
          if (savepoint) {
            await savepoint.catch(() => undefined);
            // Its writes go, and its claim (made before the savepoint) with them.
            await session.run(
              `ROLLBACK TO SAVEPOINT ${SAVEPOINT}`,
              ...(claimed ? [inbox!.unclaimSql(consumer, [job])] : []),
            );
          } else if (claimed) unclaim.push(job); // wrote nothing: its claim is deleted with the commit
          continue;
        } finally {
          arm = false;
          const ms = performance.now() - t;
          ranMs += ms;
          this.handlerMs = this.handlerMs * 0.8 + ms * 0.2;
        }
        if (outbox) outgoing.push(...ctx.outgoing);
        done.push({ job, result: { applied: true, ctx } });
      }
      qr.query = original;

      const committed = await session.commit(
        ...(unclaim.length ? [inbox!.unclaimSql(consumer, unclaim)] : []),
        ...(outgoing.length ? [outbox!.insertSql(outgoing)] : []),
      );
      // COMMIT of a transaction a swallowed error had aborted rolls back instead: nothing was applied.
      if (!committed)
        throw new TransientError(
          'the transaction was rolled back at commit (a statement in it had failed)',
          'rolled-back',
        );
    } catch (err) {
      qr.query = original;
      await session.rollback();
      // What ran fails with the transaction (retried, as alone); what did not run yet goes back to wait —
      // unless BEGIN and the claim failed, which is each message's own failure, as it would be alone.
      for (const d of done) d.job.reject(err);
      const notRun = jobs.slice(claimedAll ? next + 1 : 0);
      if (!claimedAll) for (const j of notRun) j.reject(err);
      else handBack.push(...notRun);
      this.waiting.unshift(...handBack);
      return false;
    }
    for (const d of done) d.job.resolve(d.result);
    this.waiting.unshift(...handBack);
    return true;
  }
}
