// What the transport keeps and no longer needs, removed by the service that owns it: parked messages past
// the parked age, applied-message ids past what a redelivery can need. Each kind is counted, its cutoff and
// duration reported (contracts' Purgado). The inbox goes in short batches (InboxStore.prune, platform's
// purgeInBatches); parked messages are reported (logged, without bodies) before removal. Relayed outbox rows
// are the outbox relay's to remove (every minute, a day after the broker confirmed them): a run only counts
// those past that day still there — none, unless a relay is behind — and reports them.
import type { DataSource } from 'typeorm';
import { MAX_APARCADOS_LISTADOS, type AparcadoQuitado, type Purgado } from '@lucy/contracts';
import type { PurgeOptions, PurgeResult } from '@lucy/platform';
import type { ParkedMessages } from '../admin/parked-messages.js';
import { InboxStore } from '../inbox/inbox.store.js';
import { OutboxStore } from '../outbox/outbox.store.js';
import { inboxCutoff, outboxCutoff, parkedCutoff } from './retention-bounds.js';

export interface RetentionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface MessageRetentionDeps {
  dataSource: DataSource;
  parked: Pick<ParkedMessages, 'removeParkedBefore'>;
  /** The queues this service consumes (each has its parking queue). */
  queues: () => readonly string[];
  retryDelaysMs: readonly number[];
  log: RetentionLog;
}

export interface MessageRetentionRun extends Pick<PurgeOptions, 'batchSize' | 'pauseMs' | 'signal'> {
  parkedRetentionMs: number;
  simulate: boolean;
  /** The moment cutoffs are counted from (default: now). */
  now?: Date;
}

export class MessageRetention {
  private readonly inbox: InboxStore;
  private readonly outbox: OutboxStore;

  constructor(private readonly d: MessageRetentionDeps) {
    this.inbox = new InboxStore(d.dataSource);
    this.outbox = new OutboxStore(d.dataSource);
  }

  /** Parked messages first: the oldest one left bounds the inbox's cutoff. */
  async apply(run: MessageRetentionRun): Promise<Purgado[]> {
    const now = run.now ?? new Date();
    const { purgado: aparcados, oldestKept } = await this.parked(now, run);
    const inboxHasta = inboxCutoff({
      now,
      retryDelaysMs: this.d.retryDelaysMs,
      parkedRetentionMs: run.parkedRetentionMs,
      oldestParkedAt: oldestKept,
    });
    const inbox = this.reported('inbox', inboxHasta, run.simulate, await this.inbox.prune(inboxHasta, run));
    // Counted, never removed here: the relay removes them (and never the unsent ones).
    const outboxHasta = outboxCutoff(now);
    const outbox = this.reported('outbox', outboxHasta, true, await this.outbox.prune(outboxHasta, { simulate: true }));
    return [aparcados, inbox, outbox];
  }

  private async parked(now: Date, run: MessageRetentionRun) {
    const started = Date.now();
    const cutoff = parkedCutoff(now, run.parkedRetentionMs);
    let count = 0;
    let oldestKept: Date | null = null;
    const mensajes: AparcadoQuitado[] = [];
    for (const queue of this.d.queues()) {
      const r = await this.d.parked.removeParkedBefore(queue, cutoff, {
        simulate: run.simulate,
        report: (old) => {
          if (old.length === 0) return;
          for (const m of old.slice(0, MAX_APARCADOS_LISTADOS - mensajes.length))
            mensajes.push({
              cola: queue,
              messageId: m.messageId,
              tipo: m.type,
              aparcadoAt: m.parkedAt ?? m.lastFailure,
              motivo: m.error?.slice(0, 500) ?? null,
            });
          // The record of what goes (ids, types, why they failed; never a body: personal data).
          this.d.log.warn(
            {
              queue,
              cutoff: cutoff.toISOString(),
              simulate: run.simulate,
              count: old.length,
              messages: old.map((m) => ({
                messageId: m.messageId,
                type: m.type,
                parkedAt: m.parkedAt ?? m.lastFailure,
                errorCode: m.errorCode,
                error: m.error?.slice(0, 200) ?? null,
              })),
            },
            run.simulate ? 'retention: parked messages that would be removed' : 'retention: removing parked messages',
          );
        },
      });
      if (r.undated > 0)
        this.d.log.warn({ queue, undated: r.undated }, 'retention: parked messages without a date kept');
      count += run.simulate ? r.old.length : r.removed;
      // In a simulation the old ones stay, but the bound is the one the real run would leave.
      if (r.oldestKept && (oldestKept === null || r.oldestKept < oldestKept)) oldestKept = r.oldestKept;
    }
    const purgado: Purgado = {
      tipo: 'aparcados',
      cantidad: count,
      corte: cutoff.toISOString(),
      duracionMs: Date.now() - started,
      ...(mensajes.length > 0 ? { mensajes } : {}),
    };
    return { purgado, oldestKept };
  }

  private reported(tipo: 'inbox' | 'outbox', cutoff: Date, counted: boolean, r: PurgeResult): Purgado {
    this.d.log.info(
      { tipo, cutoff: cutoff.toISOString(), count: r.count, batches: r.batches, durationMs: r.durationMs },
      tipo === 'outbox'
        ? 'retention: counted (the outbox relay removes them)'
        : counted
          ? 'retention: counted'
          : 'retention: removed',
    );
    return { tipo, cantidad: r.count, corte: cutoff.toISOString(), duracionMs: r.durationMs };
  }
}
