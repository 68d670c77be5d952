import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * Lotes and plans from the OneRoster REST server (origen oneroster), and each pulled source's mark: the
 * instant its next incremental pull asks changes from, written in the transaction that applies a pull.
 */
export class IngestOneRosterMarca1766000000000 implements MigrationInterface {
  name = 'IngestOneRosterMarca1766000000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    for (const t of ['lote', 'plan'])
      await q.query(`
        ALTER TABLE ${s}.${t}
          DROP CONSTRAINT ${t}_origen_check,
          ADD CONSTRAINT ${t}_origen_check CHECK (origen IN ('sial', 'upload', 'oneroster'))`);
    await q.query(`
      CREATE TABLE ${s}.fuente_marca (
        fuente text PRIMARY KEY,
        marca timestamptz NOT NULL,
        lote_id uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP TABLE ${s}.fuente_marca`);
    for (const t of ['lote', 'plan'])
      await q.query(`
        ALTER TABLE ${s}.${t}
          DROP CONSTRAINT ${t}_origen_check,
          ADD CONSTRAINT ${t}_origen_check CHECK (origen IN ('sial', 'upload'))`);
  }
}
