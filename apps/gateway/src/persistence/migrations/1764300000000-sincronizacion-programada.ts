import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * The scheduled SIAL pull's slots: one row per scheduled time that was pulled. Every gateway replica
 * fires at that time and tries to insert its row in the pull's transaction; the primary key lets exactly
 * one of them through (the others wait for it, then find the row and pull nothing).
 */
export class GatewaySincronizacionProgramada1764300000000 implements MigrationInterface {
  name = 'GatewaySincronizacionProgramada1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.sincronizacion_programada (
        programada_para timestamptz PRIMARY KEY,
        lote_id uuid NOT NULL REFERENCES ${s}.lote(id),
        cron text NOT NULL,
        zona_horaria text NOT NULL,
        configuracion_version integer NOT NULL,
        recuperada boolean NOT NULL DEFAULT false,
        replica text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.sincronizacion_programada`);
  }
}
