// The inbox: which messages a consumer has applied. The row is written in the handler's transaction,
// so "applied" and "its effects" commit together, and a redelivery finds the row and does nothing.
import type { DataSource, EntityManager } from 'typeorm';
import { purgeInBatches, type PurgeOptions, type PurgeResult } from '@lucy/platform';
import { literal } from '../persistence/sql-adapter.js';

export class InboxStore {
  private readonly table: string;

  constructor(private readonly dataSource: DataSource) {
    const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
    this.table = `"${schema.replace(/"/g, '""')}".inbox`;
  }

  /**
   * Claims the message for this consumer inside `manager`'s transaction. False means it was applied
   * before. A concurrent duplicate waits on the primary key until the first transaction ends.
   */
  async claim(manager: EntityManager, consumer: string, messageId: string, type: string): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO ${this.table} (consumer, message_id, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [consumer, messageId, type],
    );
    return rows.length === 1;
  }

  /** Whether the message was applied already (a plain read, committed on its own). */
  async isApplied(consumer: string, messageId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM ${this.table} WHERE consumer = $1 AND message_id = $2`,
      [consumer, messageId],
    );
    return rows.length === 1;
  }

  /**
   * Claims several messages in one statement with literal values, sent in one round trip with BEGIN
   * (persistence/sql-adapter.ts); returns the `message_id` of each row it inserted. Sorted, so that two transactions
   * claiming the same ids lock them in the same order.
   */
  claimManySql(consumer: string, messages: readonly { messageId: string; type: string }[]): string {
    const rows = [...messages]
      .sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0))
      .map((m) => `(${literal(consumer)}, ${literal(m.messageId)}, ${literal(m.type)})`);
    return `INSERT INTO ${this.table} (consumer, message_id, type) VALUES ${rows.join(', ')} ON CONFLICT DO NOTHING RETURNING message_id`;
  }

  /** Deletes claims made earlier in the same transaction, for messages that ended up not applied. */
  unclaimSql(consumer: string, messages: readonly { messageId: string }[]): string {
    return `DELETE FROM ${this.table} WHERE consumer = ${literal(consumer)} AND message_id IN (${messages.map((m) => literal(m.messageId)).join(', ')})`;
  }

  /**
   * Ids applied before `cutoff` go, in short batches (platform's purgeInBatches); `simulate` only counts.
   * Only a retention run calls it, with a cutoff no redelivery can need (retention-bounds.ts: inboxCutoff).
   */
  prune(cutoff: Date, opts: PurgeOptions = {}): Promise<PurgeResult> {
    return purgeInBatches(
      this.dataSource,
      { table: this.table, where: 'applied_at < $1', params: [cutoff], orderBy: 'applied_at' },
      opts,
    );
  }
}
