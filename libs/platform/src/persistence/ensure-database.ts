import pg from 'pg';

// Postgres error codes that mean "someone else just created it": a parallel start won the race.
const ALREADY_EXISTS = new Set([
  '42P04' /* duplicate_database */,
  '42P06' /* duplicate_schema */,
  '23505' /* unique_violation */,
]);

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Creates the database named in `url` if it is missing, connecting to the `postgres` database to do it. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${quoteIdent(database)}`).catch(ignoreAlreadyExists);
  } finally {
    await client.end();
  }
}

/**
 * Creates the schema if it is missing, tolerant of a parallel start doing the same. Asked first, not just
 * CREATE SCHEMA IF NOT EXISTS: PostgreSQL checks the right to create schemas before it looks, and a
 * service's own role (deploy/postgres/bootstrap.sh) owns its schema without that right on the database.
 */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (rowCount) return;
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`).catch(ignoreAlreadyExists);
  } finally {
    await client.end();
  }
}

/**
 * Runs `fn` while holding a session advisory lock named `key`, on a connection of its own, so that
 * replicas of a service starting together run their migrations one after the other.
 */
export async function withAdvisoryLock<T>(url: string, key: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    return await fn();
  } finally {
    // Closing the session releases the lock even if the unlock is never sent.
    await client.end().catch(() => undefined);
  }
}

function ignoreAlreadyExists(err: { code?: string }): void {
  if (!ALREADY_EXISTS.has(err.code ?? '')) throw err;
}
