import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/** moodle-service's tables: the Moodle user of each student, and each student's course enrolments. */
export class MoodleInit1763900000000 implements MigrationInterface {
  name = 'MoodleInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.moodle_usuario (
        alumno_id uuid PRIMARY KEY,
        username text NOT NULL,
        moodle_user_id integer NOT NULL,
        auth text NOT NULL,
        origen text NOT NULL CHECK (origen IN ('creado', 'existente')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX moodle_usuario_moodle_user_id ON ${s}.moodle_usuario (moodle_user_id)`);
    await q.query(`
      CREATE TABLE ${s}.inscripcion (
        alumno_id uuid NOT NULL,
        shortname text NOT NULL,
        course_id integer NOT NULL,
        moodle_user_id integer NOT NULL,
        role_id integer NOT NULL,
        estado text NOT NULL CHECK (estado IN ('enrolada', 'preexistente', 'desenrolada')),
        enrolada_at timestamptz,
        desenrolada_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (alumno_id, shortname)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP TABLE ${s}.inscripcion`);
    await q.query(`DROP TABLE ${s}.moodle_usuario`);
  }
}
