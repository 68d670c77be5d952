import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * The classes a student's source states (a OneRoster roster's enrollments: class sourcedId and course
 * code), null for one whose source states none. cursos_fuente is derived from them through
 * cursosOneRoster; a student registered before has courses and no classes until a whole list states them.
 */
export class IngestClasesFuente1766100000000 implements MigrationInterface {
  name = 'IngestClasesFuente1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.alumno ADD COLUMN clases_fuente jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.alumno DROP COLUMN clases_fuente`);
  }
}
