import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * The lotes a student came in, found by the student: a student's page asks for them on every read, and the
 * primary key (lote_id, alumno_id) cannot serve a lookup by alumno_id alone (it scanned the whole table).
 */
export class GatewayLoteAlumnoPorAlumno1765400000000 implements MigrationInterface {
  name = 'GatewayLoteAlumnoPorAlumno1765400000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`CREATE INDEX IF NOT EXISTS lote_alumno_por_alumno ON ${s}.lote_alumno (alumno_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ${schemaOf(q)}.lote_alumno_por_alumno`);
  }
}
