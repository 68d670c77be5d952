// Removing old rows without holding a long lock: one short statement (its own transaction) per batch of
// rows, each batch found through an index and deleted by ctid, with a pause between batches so the
// table's other users, autovacuum and replication keep up. A simulation only counts.
import { setTimeout as sleep } from 'node:timers/promises';

export interface PurgeSpec {
  /** The table, schema-qualified and quoted: `"gateway".auditoria`. */
  table: string;
  /** Which rows go: a condition over the table's columns, with `$1…` for `params`. */
  where: string;
  params?: readonly unknown[];
  /** The order a batch takes its rows in: an indexed column (`id`, `applied_at`) finds them at once. */
  orderBy?: string;
}

export interface PurgeOptions {
  /** Rows per statement (default 1,000): each is a transaction that locks only those rows. */
  batchSize?: number;
  /** Pause between two batches (default 50 ms). */
  pauseMs?: number;
  /** Count what would go, remove nothing. */
  simulate?: boolean;
  /** Stops between two batches (a shutdown): what was removed stays removed, and is counted. */
  signal?: AbortSignal;
}

export interface PurgeResult {
  /** Rows removed (or, simulating, that would be). */
  count: number;
  batches: number;
  durationMs: number;
}

export const PURGE_BATCH_SIZE = 1000;
export const PURGE_PAUSE_MS = 50;

/** What runs the statements: a DataSource (each query outside a transaction commits on its own). */
export interface PurgeDb {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export async function purgeInBatches(db: PurgeDb, spec: PurgeSpec, opts: PurgeOptions = {}): Promise<PurgeResult> {
  const started = Date.now();
  const params = [...(spec.params ?? [])];
  if (opts.simulate) {
    const [row] = await db.query(`SELECT count(*)::bigint AS n FROM ${spec.table} WHERE ${spec.where}`, params);
    return { count: Number(row.n), batches: 0, durationMs: Date.now() - started };
  }
  const size = Math.max(1, Math.trunc(opts.batchSize ?? PURGE_BATCH_SIZE));
  const pauseMs = Math.max(0, opts.pauseMs ?? PURGE_PAUSE_MS);
  const order = spec.orderBy ? ` ORDER BY ${spec.orderBy}` : '';
  // ctid = ANY(ARRAY(...)): a TID scan of exactly the rows the indexed subquery found. A row changed
  // since (a new version, a new ctid) is not deleted by this batch; the next one sees it again.
  const sql = `WITH gone AS (
      DELETE FROM ${spec.table} WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM ${spec.table} WHERE ${spec.where}${order} LIMIT ${size}))
      RETURNING 1)
    SELECT count(*)::int AS n FROM gone`;
  let count = 0;
  let batches = 0;
  for (;;) {
    const [row] = await db.query(sql, params);
    const n = Number(row.n);
    count += n;
    if (n > 0) batches++;
    if (n < size || opts.signal?.aborted) break;
    if (pauseMs > 0) await sleep(pauseMs);
  }
  return { count, batches, durationMs: Date.now() - started };
}
