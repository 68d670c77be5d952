// How the transport's own statements (BEGIN with the inbox claim, the outbox rows with COMMIT, the relay's
// batch) reach PostgreSQL, on one pooled connection. Two ways, chosen per DataSource (chooseSqlPath):
//   direct   straight to the pooled pg client, several statements in one round trip (`START TRANSACTION;
//            INSERT … inbox` before the handlers, `INSERT … outbox; COMMIT` after them), values as escaped
//            literals (the simple query protocol, the only one that takes several statements at once).
//            Only when nothing watches the DataSource's queries or transactions — no subscribers, no query
//            logging, no default isolation level, no slow-query log — so going around TypeORM's query
//            runner changes nothing anyone can see. It tells the runner a transaction is open through
//            TypeORM's private fields (library-internals.ts), so handlers' `manager.transaction()` nests.
//   typeorm  TypeORM's public API only: startTransaction, one query() per statement, commitTransaction.
// The default is typeorm: with the statements of a batch of messages in one transaction, both ways carry the
// same load (bench:messaging prints their ratio: 1.00 on 2 cores), so nothing needs TypeORM's private fields.
// MESSAGING_SQL=direct (or options.sql) takes the first wherever it may be used, for comparison.
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { markTransaction, pgClientOf, type SqlClient, type SqlResult } from '../library-internals.js';

export type SqlPath = 'direct' | 'typeorm';
export const SQL_PATHS: readonly SqlPath[] = ['direct', 'typeorm'];

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

/** MESSAGING_SQL as a path, undefined when unset; anything else is a configuration error. */
export function sqlPathFromEnv(value = process.env.MESSAGING_SQL): SqlPath | undefined {
  if (value === undefined || value === '') return undefined;
  if ((SQL_PATHS as readonly string[]).includes(value)) return value as SqlPath;
  throw new Error(`MESSAGING_SQL must be one of ${SQL_PATHS.join(', ')} (got "${value}")`);
}

/** The path used: `wanted` (else MESSAGING_SQL, else typeorm), but direct only where canUseDirectSql allows it. */
export function chooseSqlPath(ds: DataSource, wanted: SqlPath | undefined = sqlPathFromEnv()): SqlPath {
  return wanted === 'direct' && canUseDirectSql(ds) ? 'direct' : 'typeorm';
}

/** A string as an SQL literal, exactly as pg's escapeLiteral writes it. */
export function literal(value: string): string {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

export type Row = Record<string, unknown>;

/**
 * One pooled connection on which the transport runs its transactions. Statements given together are sent
 * together where the path allows it; their order is kept either way.
 */
export interface SqlSession {
  readonly path: SqlPath;
  readonly queryRunner: QueryRunner;
  /** The manager handlers write with: the query runner's, inside the open transaction. */
  readonly manager: EntityManager;
  /** Takes a connection from the pool (may wait for one). */
  connect(): Promise<void>;
  /** Opens a transaction and runs `statements` in it; the rows of the last one. */
  begin(...statements: string[]): Promise<Row[]>;
  /** Runs statements inside the open transaction. */
  run(...statements: string[]): Promise<void>;
  /**
   * Runs statements, then COMMIT. False if PostgreSQL rolled back instead (a statement in the transaction
   * had failed and someone swallowed the error): nothing of it was applied.
   */
  commit(...statements: string[]): Promise<boolean>;
  /** Rolls back whatever is open; never throws (a broken connection has nothing open any more). */
  rollback(): Promise<void>;
  release(): Promise<void>;
}

export function openSqlSession(ds: DataSource, path: SqlPath): SqlSession {
  const qr = ds.createQueryRunner();
  return path === 'direct' ? new DirectSession(qr) : new TypeormSession(qr);
}

/** The result of the last statement of a (possibly multi-statement) query. */
function lastResult(res: SqlResult | SqlResult[]): SqlResult {
  return Array.isArray(res) ? res[res.length - 1] : res;
}

/** PostgreSQL's "current transaction is aborted": a statement before it failed. */
const isAborted = (err: unknown) =>
  ((err as { driverError?: { code?: string } }).driverError ?? (err as { code?: string })).code === '25P02';

class DirectSession implements SqlSession {
  readonly path = 'direct';
  private client?: SqlClient;
  private open = false;
  constructor(readonly queryRunner: QueryRunner) {}

  get manager(): EntityManager {
    return this.queryRunner.manager;
  }

  async connect(): Promise<void> {
    this.client = await pgClientOf(this.queryRunner);
  }

  private send(statements: string[]): Promise<SqlResult | SqlResult[]> {
    return this.client!.query(statements.join('; '));
  }

  async begin(...statements: string[]): Promise<Row[]> {
    let res: SqlResult | SqlResult[];
    try {
      this.open = true;
      res = await this.send(['START TRANSACTION', ...statements]);
    } catch (err) {
      await this.rollback(); // START TRANSACTION may have run before the statement that failed
      throw err;
    }
    markTransaction(this.queryRunner, true);
    return lastResult(res).rows;
  }

  async run(...statements: string[]): Promise<void> {
    if (statements.length) await this.send(statements);
  }

  async commit(...statements: string[]): Promise<boolean> {
    let res: SqlResult;
    try {
      res = lastResult(await this.send([...statements, 'COMMIT']));
    } catch (err) {
      if (!isAborted(err)) throw err;
      await this.rollback();
      return false;
    }
    this.open = false;
    markTransaction(this.queryRunner, false);
    return res.command === 'COMMIT';
  }

  async rollback(): Promise<void> {
    markTransaction(this.queryRunner, false);
    if (!this.open) return;
    this.open = false;
    await this.client?.query('ROLLBACK').catch(() => undefined);
  }

  async release(): Promise<void> {
    await this.rollback(); // never back to the pool with a transaction open
    await this.queryRunner.release();
  }
}

class TypeormSession implements SqlSession {
  readonly path = 'typeorm';
  /** The runner's own query(), whatever a caller later puts in front of it on the instance. */
  private readonly query: QueryRunner['query'];
  constructor(readonly queryRunner: QueryRunner) {
    this.query = queryRunner.query.bind(queryRunner);
  }

  get manager(): EntityManager {
    return this.queryRunner.manager;
  }

  async connect(): Promise<void> {
    await this.queryRunner.connect();
  }

  async begin(...statements: string[]): Promise<Row[]> {
    await this.queryRunner.startTransaction();
    try {
      let rows: Row[] = [];
      for (const s of statements) rows = ((await this.query(s, undefined, true)).records ?? []) as Row[];
      return rows;
    } catch (err) {
      await this.rollback();
      throw err;
    }
  }

  async run(...statements: string[]): Promise<void> {
    for (const s of statements) await this.query(s);
  }

  async commit(...statements: string[]): Promise<boolean> {
    // Any statement fails in a transaction PostgreSQL has aborted, and COMMIT would quietly roll it back
    // (commitTransaction() does not say): with nothing else to send, a probe tells which it is.
    try {
      await this.run(...(statements.length ? statements : ['SELECT 1']));
    } catch (err) {
      if (isAborted(err)) {
        await this.rollback();
        return false;
      }
      throw err;
    }
    await this.queryRunner.commitTransaction();
    return true;
  }

  async rollback(): Promise<void> {
    // Down to depth 0, should a handler have left a nested transaction open.
    for (let i = 0; i < 16 && this.queryRunner.isTransactionActive; i++)
      if (
        !(await this.queryRunner.rollbackTransaction().then(
          () => true,
          () => false,
        ))
      )
        return;
  }

  async release(): Promise<void> {
    await this.rollback(); // never back to the pool with a transaction open
    await this.queryRunner.release();
  }
}
