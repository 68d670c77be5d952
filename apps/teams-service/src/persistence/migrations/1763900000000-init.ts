import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/** The first table of teams-service: the accounts it created (one per student). The pipeline work adds its columns. */
export class TeamsInit1763900000000 implements MigrationInterface {
  name = 'TeamsInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${schemaOf(q)}.cuenta (
        id uuid PRIMARY KEY,
        alumno_id uuid NOT NULL UNIQUE,
        upn text NOT NULL UNIQUE,
        graph_user_id text,
        estado text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.cuenta`);
  }
}
