import type { QueryRunner } from 'typeorm';

/**
 * The schema this migration runs in: the service's DB_SCHEMA, as DatabaseModule configured the
 * connection. Migrations qualify their DDL with it rather than hard-coding a schema, so a test can
 * run a service's migrations in a throwaway schema.
 *
 *   async up(q: QueryRunner) {
 *     const s = schemaOf(q);
 *     await q.query(`CREATE TABLE ${s}.workflow (...)`);
 *   }
 */
export function schemaOf(queryRunner: QueryRunner): string {
  return `"${schemaNameOf(queryRunner).replaceAll('"', '""')}"`;
}

/** The unquoted schema name (for `information_schema` queries and the like). */
export function schemaNameOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('the connection has no schema: open it through DatabaseModule.forService');
  return schema;
}
