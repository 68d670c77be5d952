import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * The Moodle courses a student's source states (AlumnoDatos.cursosFuente: a OneRoster roster's classes),
 * null for one whose source states none; and a lote's notes on what it read but did not act on (AvisoLote).
 */
export class IngestCursosFuente1765100000000 implements MigrationInterface {
  name = 'IngestCursosFuente1765100000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.alumno ADD COLUMN cursos_fuente jsonb`);
    await q.query(`ALTER TABLE ${s}.lote ADD COLUMN avisos jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.lote DROP COLUMN avisos`);
    await q.query(`ALTER TABLE ${s}.alumno DROP COLUMN cursos_fuente`);
  }
}
