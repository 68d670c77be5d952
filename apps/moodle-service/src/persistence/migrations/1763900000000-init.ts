import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/** The first table of moodle-service: the Moodle users it knows (one per student). The pipeline work adds its columns. */
export class MoodleInit1763900000000 implements MigrationInterface {
  name = 'MoodleInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${schemaOf(q)}.moodle_usuario (
        id uuid PRIMARY KEY,
        alumno_id uuid NOT NULL UNIQUE,
        username text NOT NULL UNIQUE,
        moodle_user_id integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.moodle_usuario`);
  }
}
