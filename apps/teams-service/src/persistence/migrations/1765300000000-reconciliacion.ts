import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * What the reconciliation keeps between runs: the users/delta link that starts the next round (kept whole:
 * it is opaque), and a mirror of the Entra users as the rounds so far described them, so that a round that
 * reads only the changes still compares every account. Both are written in one transaction.
 */
export class TeamsReconciliacion1765300000000 implements MigrationInterface {
  name = 'TeamsReconciliacion1765300000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.entra_delta (
        id smallint PRIMARY KEY CHECK (id = 1),
        delta_link text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${s}.entra_usuario (
        id text PRIMARY KEY,
        upn text NOT NULL,
        account_enabled boolean,
        licencias jsonb NOT NULL DEFAULT '[]',
        display_name text,
        given_name text,
        surname text,
        department text,
        employee_id text,
        mail text
      )`);
    await q.query(`CREATE INDEX entra_usuario_upn ON ${s}.entra_usuario (lower(upn))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP TABLE ${s}.entra_usuario`);
    await q.query(`DROP TABLE ${s}.entra_delta`);
  }
}
