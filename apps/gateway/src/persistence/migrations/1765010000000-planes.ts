import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * A lote's plan as ingest-service announced it (a dry run, or one the safeguard held): its summary and the
 * reason it waits on the lote, who confirmed, approved or dropped it, and its items in order. The students
 * who wait for an operator's approval before their onboarding (aprobacionNuevos), with who approved them.
 */
export class GatewayPlanes1765010000000 implements MigrationInterface {
  name = 'GatewayPlanes1765010000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      ALTER TABLE ${s}.lote
        ADD COLUMN simulacion boolean NOT NULL DEFAULT false,
        ADD COLUMN plan jsonb,
        ADD COLUMN resolucion text CHECK (resolucion IN ('confirmado', 'aprobado', 'descartado')),
        ADD COLUMN resuelto_por text,
        ADD COLUMN resuelto_at timestamptz`);
    await q.query(`
      CREATE TABLE ${s}.lote_plan (
        lote_id uuid NOT NULL,
        orden int NOT NULL,
        resultado text NOT NULL,
        dni text,
        item jsonb NOT NULL,
        PRIMARY KEY (lote_id, orden)
      )`);
    await q.query(`CREATE INDEX lote_plan_resultado ON ${s}.lote_plan (lote_id, resultado, orden)`);
    await q.query(`
      CREATE TABLE ${s}.alumno_por_aprobar (
        alumno_id uuid PRIMARY KEY,
        id uuid NOT NULL,
        lote_id uuid,
        alumno jsonb NOT NULL,
        estado text NOT NULL CHECK (estado IN ('pendiente', 'aprobado', 'descartado')),
        aprobado_por text,
        aprobado_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX alumno_por_aprobar_lote ON ${s}.alumno_por_aprobar (lote_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP TABLE ${s}.alumno_por_aprobar`);
    await q.query(`DROP TABLE ${s}.lote_plan`);
    await q.query(
      `ALTER TABLE ${s}.lote DROP COLUMN simulacion, DROP COLUMN plan, DROP COLUMN resolucion, DROP COLUMN resuelto_por, DROP COLUMN resuelto_at`,
    );
  }
}
