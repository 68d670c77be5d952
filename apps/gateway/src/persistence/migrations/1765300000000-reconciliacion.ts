import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * Reconciliation runs: who started one, whether it repairs (or only previews the repair: simular), each system's answer (`sistemas`: estado, parts
 * and differences announced), its deadline, and the repair it started; and every difference a service
 * reported, kept once per (run, system, part, position) so a redelivered part is not counted twice.
 */
export class GatewayReconciliacion1765300000000 implements MigrationInterface {
  name = 'GatewayReconciliacion1765300000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.reconciliacion (
        id uuid PRIMARY KEY,
        estado text NOT NULL CHECK (estado IN ('en_curso', 'terminada', 'fallida')),
        actor text NOT NULL,
        reparar boolean NOT NULL,
        simular boolean NOT NULL DEFAULT false,
        alumnos integer NOT NULL,
        sistemas jsonb NOT NULL,
        error text,
        reparacion text CHECK (reparacion IN ('pendiente', 'iniciada')),
        resultado_reparacion jsonb,
        vence_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX reconciliacion_creada ON ${s}.reconciliacion (created_at DESC)`);
    await q.query(`
      CREATE TABLE ${s}.reconciliacion_item (
        reconciliacion_id uuid NOT NULL REFERENCES ${s}.reconciliacion(id) ON DELETE CASCADE,
        sistema text NOT NULL,
        parte integer NOT NULL,
        orden integer NOT NULL,
        alumno_id uuid,
        tipo text NOT NULL,
        referencia text NOT NULL,
        esperado text,
        encontrado text,
        campos jsonb,
        curso text,
        workflow_id uuid,
        PRIMARY KEY (reconciliacion_id, sistema, parte, orden)
      )`);
    await q.query(`CREATE INDEX reconciliacion_item_tipo ON ${s}.reconciliacion_item (reconciliacion_id, tipo)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP TABLE ${s}.reconciliacion_item`);
    await q.query(`DROP TABLE ${s}.reconciliacion`);
  }
}
