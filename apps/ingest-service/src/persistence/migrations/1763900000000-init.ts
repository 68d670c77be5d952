import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/** The first table of ingest-service: the student registry. The pipeline work adds its columns. */
export class IngestInit1763900000000 implements MigrationInterface {
  name = 'IngestInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${schemaOf(q)}.alumno (
        id uuid PRIMARY KEY,
        dni text NOT NULL UNIQUE,
        nombres text NOT NULL,
        apellidos text NOT NULL,
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.alumno`);
  }
}
