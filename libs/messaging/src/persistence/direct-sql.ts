// The transport's own statements (inbox claim, outbox rows, BEGIN/COMMIT) sent straight to the pooled pg
// client, several in one round trip: `START TRANSACTION; INSERT … inbox` before a handler and
// `INSERT … outbox; COMMIT` after it. Values go in as escaped literals (the simple query protocol, the only
// one that takes several statements at once). Used only when nothing watches the DataSource's queries or
// transactions — no subscribers, no query logging, no default isolation level, no slow-query log — so that
// going around TypeORM's query runner changes nothing anyone can see; otherwise the TypeORM path is used.
import type { DataSource, QueryRunner } from 'typeorm';

export interface SqlResult {
  command: string;
  rowCount: number | null;
  rows: Record<string, unknown>[];
}

/** The part of a pg client the transport uses. */
export interface SqlClient {
  query(text: string): Promise<SqlResult | SqlResult[]>;
}

export function canUseDirectSql(ds: DataSource): boolean {
  const o = ds.options as {
    type: string;
    logging?: unknown;
    isolationLevel?: unknown;
    maxQueryExecutionTime?: unknown;
  };
  return (
    o.type === 'postgres' && !o.logging && !o.isolationLevel && !o.maxQueryExecutionTime && ds.subscribers.length === 0
  );
}

/** A string as an SQL literal, exactly as pg's escapeLiteral writes it. */
export function literal(value: string): string {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

/** The result of the last statement of a (possibly multi-statement) query. */
export function lastResult(res: SqlResult | SqlResult[]): SqlResult {
  return Array.isArray(res) ? res[res.length - 1] : res;
}

/** The query runner's pg client (connecting it to the pool if it is not yet). */
export async function clientOf(qr: QueryRunner): Promise<SqlClient> {
  return (await qr.connect()) as SqlClient;
}

/**
 * Tells the query runner a transaction is open (or closed) on its connection, as startTransaction() and
 * commitTransaction() would, so that a handler calling `manager.transaction()` nests with a savepoint.
 */
export function markTransaction(qr: QueryRunner, open: boolean): void {
  const state = qr as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = open;
  state.transactionDepth = open ? 1 : 0;
}
