import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * A lote's notes (LoteIngestado.avisos): what its rows stated that Lucy did not act on, no row made invalid by
 * it (a OneRoster class with no Moodle course in cursosOneRoster).
 */
export class GatewayLoteAvisos1765500000000 implements MigrationInterface {
  name = 'GatewayLoteAvisos1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.lote ADD COLUMN IF NOT EXISTS avisos jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.lote DROP COLUMN IF EXISTS avisos`);
  }
}
