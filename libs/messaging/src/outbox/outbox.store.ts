// Outbox rows: written in the caller's transaction, read and marked by the relay.
import type { DataSource, EntityManager } from 'typeorm';
import { purgeInBatches, type PurgeOptions, type PurgeResult } from '@lucy/platform';
import { TransientError } from '../errors.js';
import { canUseDirectSql, chooseSqlPath, literal, openSqlSession, type SqlPath } from '../persistence/sql-adapter.js';
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

/** INSERTs of addAlone() in flight at once, and rows in one. */
const ALONE_WRITERS = 4;
const ALONE_MAX_ROWS = 500;

export class OutboxStore {
  readonly table: string;
  /** How the relay's statements reach PostgreSQL (persistence/sql-adapter.ts). */
  readonly sql: SqlPath;
  /** Nothing watches the DataSource's transactions: a lone INSERT needs no BEGIN/COMMIT around it. */
  readonly unwatched: boolean;

  constructor(
    private readonly dataSource: DataSource,
    sql?: SqlPath,
  ) {
    const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
    this.table = `"${schema.replace(/"/g, '""')}".outbox`;
    this.sql = chooseSqlPath(dataSource, sql);
    this.unwatched = canUseDirectSql(dataSource);
  }

  /** Adds the messages to the outbox inside `manager`'s transaction: they exist only if it commits. */
  async add(manager: EntityManager, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const values: unknown[] = [];
    const rows = messages.map((m, i) => {
      values.push(
        m.messageId,
        m.exchange,
        m.routingKey,
        m.properties.type,
        m.body.toString('utf8'),
        JSON.stringify(m.properties.headers ?? {}),
      );
      const b = i * 6;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
    });
    await manager.query(
      `INSERT INTO ${this.table} (message_id, exchange, routing_key, type, body, headers) VALUES ${rows.join(', ')}`,
      values,
    );
  }

  /**
   * Commits the messages on their own (no caller transaction), as one INSERT — atomic by itself. Calls made
   * while others are being written share the next INSERT: each resolves once its rows are committed, and
   * all of a shared INSERT's callers fail together if it fails (none of their rows is written).
   */
  addAlone(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.alone.push({ messages, resolve, reject });
      this.writeAlone();
    });
  }

  private readonly alone: {
    messages: readonly OutgoingMessage[];
    resolve: () => void;
    reject: (err: unknown) => void;
  }[] = [];
  private writingAlone = 0;

  private writeAlone(): void {
    if (this.alone.length === 0 || this.writingAlone >= ALONE_WRITERS) return;
    const group: typeof this.alone = [];
    let rows = 0;
    while (this.alone.length > 0 && (rows === 0 || rows + this.alone[0].messages.length <= ALONE_MAX_ROWS)) {
      const next = this.alone.shift()!;
      group.push(next);
      rows += next.messages.length;
    }
    this.writingAlone++;
    this.add(
      this.dataSource.manager,
      group.flatMap((g) => g.messages),
    )
      .then(
        () => group.forEach((g) => g.resolve()),
        (err) => group.forEach((g) => g.reject(err)),
      )
      .finally(() => {
        this.writingAlone--;
        this.writeAlone();
      });
  }

  /** The same insert as one statement with literal values, to send in one round trip with COMMIT (sql-adapter.ts). */
  insertSql(messages: readonly OutgoingMessage[]): string {
    const rows = messages.map(
      (m) =>
        `(${literal(m.messageId)}, ${literal(m.exchange)}, ${literal(m.routingKey)}, ${literal(String(m.properties.type))}, ${literal(m.body.toString('utf8'))}, ${literal(JSON.stringify(m.properties.headers ?? {}))})`,
    );
    return `INSERT INTO ${this.table} (message_id, exchange, routing_key, type, body, headers) VALUES ${rows.join(', ')}`;
  }

  /**
   * Claims a batch of unsent rows, lets `send` publish them, and marks them sent — all in one transaction,
   * so rows claimed by a relay that dies are unlocked and sent by the next one. SKIP LOCKED lets several
   * replicas relay side by side without sending a row twice while both are alive. One pass over the rows:
   * BEGIN with an UPDATE that locks and marks the batch (RETURNING it), then COMMIT once the broker has
   * confirmed every row — or ROLLBACK, which leaves them unsent. The mark is only visible with the commit,
   * so it means what it meant: confirmed.
   */
  async relayBatch(limit: number, send: (rows: PendingRow[]) => Promise<void>): Promise<number> {
    const session = openSqlSession(this.dataSource, this.sql);
    try {
      await session.connect();
      const rows = (await session.begin(
        `UPDATE ${this.table} SET published_at = now() WHERE id IN (
           SELECT id FROM ${this.table} WHERE published_at IS NULL ORDER BY id LIMIT ${Math.max(1, Math.trunc(limit))} FOR UPDATE SKIP LOCKED)
         RETURNING id, message_id, exchange, routing_key, type, body, headers`,
      )) as unknown as PendingRow[];
      if (rows.length === 0) {
        await session.rollback();
        return 0;
      }
      rows.sort(byId); // RETURNING has no order; publish in commit order as before
      await send(rows);
      if (!(await session.commit()))
        throw new TransientError('outbox: the transaction marking rows sent was rolled back', 'rolled-back');
      return rows.length;
    } catch (err) {
      await session.rollback();
      throw err;
    } finally {
      await session.release();
    }
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${this.table} WHERE published_at IS NULL`,
    );
    return row.n;
  }

  /** The unsent rows and the age of the oldest (outbox.metrics.ts). */
  async backlog(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
         FROM ${this.table} WHERE published_at IS NULL`,
    );
    return { pending: row.n, oldestAgeSeconds: Math.max(0, Number(row.age)) };
  }

  /**
   * Rows the broker confirmed before `cutoff` go, in short batches (platform's purgeInBatches); unsent rows
   * never. The relay's own job (outbox.relay.ts); `simulate` only counts (what a retention run reports).
   */
  prune(cutoff: Date, opts: PurgeOptions = {}): Promise<PurgeResult> {
    return purgeInBatches(
      this.dataSource,
      { table: this.table, where: 'published_at < $1', params: [cutoff], orderBy: 'id' },
      opts,
    );
  }
}

/** bigserial ids as the driver returns them (strings), in numeric order. */
function byId(a: PendingRow, b: PendingRow): number {
  const x = String(a.id);
  const y = String(b.id);
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}
