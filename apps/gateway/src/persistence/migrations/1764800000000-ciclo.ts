import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * Lifecycle workflows (src/ciclo/) live beside onboarding's in `workflow`: a student has one onboarding
 * and any number of lifecycle workflows over their stay (updates, a leave, a return, course enrolments).
 * `datos` holds what a lifecycle workflow sends its commands from (ciclo.repository.ts).
 */
export class GatewayCiclo1764800000000 implements MigrationInterface {
  name = 'GatewayCiclo1764800000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.workflow DROP CONSTRAINT IF EXISTS workflow_alumno_id_tipo_key`);
    await q.query(`CREATE UNIQUE INDEX workflow_onboarding ON ${s}.workflow (alumno_id) WHERE tipo = 'onboarding'`);
    await q.query(`CREATE INDEX workflow_alumno ON ${s}.workflow (alumno_id, created_at)`);
    await q.query(`ALTER TABLE ${s}.workflow ADD COLUMN datos jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DELETE FROM ${s}.workflow WHERE tipo <> 'onboarding'`);
    await q.query(`ALTER TABLE ${s}.workflow DROP COLUMN datos`);
    await q.query(`DROP INDEX ${s}.workflow_alumno`);
    await q.query(`DROP INDEX ${s}.workflow_onboarding`);
    await q.query(`ALTER TABLE ${s}.workflow ADD CONSTRAINT workflow_alumno_id_tipo_key UNIQUE (alumno_id, tipo)`);
  }
}
