// Outbox rows: written in the caller's transaction, read and marked by the relay.
import type { DataSource, EntityManager } from 'typeorm';
import type { OutgoingMessage } from '../transport/wire.js';

export interface PendingRow {
  id: string;
  message_id: string;
  exchange: string;
  routing_key: string;
  body: string;
  headers: Record<string, unknown>;
  type: string;
}

export class OutboxStore {
  readonly table: string;

  constructor(private readonly dataSource: DataSource) {
    const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
    this.table = `"${schema.replace(/"/g, '""')}".outbox`;
  }

  /** Adds the messages to the outbox inside `manager`'s transaction: they exist only if it commits. */
  async add(manager: EntityManager, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const values: unknown[] = [];
    const rows = messages.map((m, i) => {
      values.push(m.messageId, m.exchange, m.routingKey, m.properties.type, m.body.toString('utf8'), JSON.stringify(m.properties.headers ?? {}));
      const b = i * 6;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
    });
    await manager.query(`INSERT INTO ${this.table} (message_id, exchange, routing_key, type, body, headers) VALUES ${rows.join(', ')}`, values);
  }

  /**
   * Claims a batch of unsent rows, lets `send` publish them, and marks them sent — all in one transaction,
   * so rows claimed by a relay that dies are unlocked and sent by the next one. SKIP LOCKED lets several
   * replicas relay side by side without sending a row twice while both are alive.
   */
  async relayBatch(limit: number, send: (rows: PendingRow[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows: PendingRow[] = await m.query(
        `SELECT id, message_id, exchange, routing_key, type, body, headers FROM ${this.table}
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await send(rows);
      await m.query(`UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM ${this.table} WHERE published_at IS NULL`);
    return row.n;
  }

  /** Sent rows are kept a while for inspection, then removed. */
  async prune(olderThanMs: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE published_at < now() - ($1 || ' milliseconds')::interval`, [String(olderThanMs)]);
  }
}
