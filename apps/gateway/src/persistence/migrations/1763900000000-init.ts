import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/** The first table of gateway: its workflows (one row per saga instance). The pipeline work adds its columns. */
export class GatewayInit1763900000000 implements MigrationInterface {
  name = 'GatewayInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${schemaOf(q)}.workflow (
        id uuid PRIMARY KEY,
        alumno_id uuid NOT NULL,
        tipo text NOT NULL,
        estado text NOT NULL,
        version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.workflow`);
  }
}
