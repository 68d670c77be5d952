// The reads every API request makes (its token, a student's page, an Idempotency-Key's row) as named
// prepared statements: PostgreSQL parses and plans each once per pooled connection instead of on every
// call (planning was half of the page query's time), and TypeORM's per-query wrapping is skipped.
// Name only fixed text, and list columns rather than `*`: a prepared `SELECT *` fails ("cached plan must
// not change result type") once a migration adds a column under a running replica.
import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

export async function prepared<R extends QueryResultRow = Record<string, any>>(
  db: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  return (await pool.query<R>({ name, text, values })).rows;
}
