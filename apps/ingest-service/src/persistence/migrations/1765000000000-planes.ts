import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * Plans kept for an operator (a dry run, or a lote the safeguard held): one row per lote with its counts,
 * the reason it waits and the roll call it would apply, and its items in order. A lote's item may be held
 * for an operator's approval (a new student, with aprobacionNuevos on).
 */
export class IngestPlanes1765000000000 implements MigrationInterface {
  name = 'IngestPlanes1765000000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.plan (
        lote_id uuid PRIMARY KEY,
        origen text NOT NULL CHECK (origen IN ('sial', 'upload')),
        descripcion text,
        correlation_id text NOT NULL,
        estado text NOT NULL CHECK (estado IN ('simulado', 'esperando_aprobacion', 'confirmado', 'descartado', 'caducado')),
        simulado boolean NOT NULL,
        conteos jsonb NOT NULL,
        activos int NOT NULL,
        en_espera int NOT NULL DEFAULT 0,
        retencion jsonb,
        pase jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        resuelto_at timestamptz,
        resuelto_por text
      )`);
    await q.query(`
      CREATE TABLE ${s}.plan_item (
        lote_id uuid NOT NULL REFERENCES ${s}.plan (lote_id) ON DELETE CASCADE,
        orden int NOT NULL,
        item jsonb NOT NULL,
        PRIMARY KEY (lote_id, orden)
      )`);
    await q.query(`
      ALTER TABLE ${s}.lote_item
        DROP CONSTRAINT lote_item_release_state_check,
        ADD CONSTRAINT lote_item_release_state_check CHECK (release_state IN ('held', 'pending', 'released', 'done'))`);
    await q.query(`CREATE INDEX lote_item_held ON ${s}.lote_item (alumno_id) WHERE release_state = 'held'`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP INDEX ${s}.lote_item_held`);
    await q.query(`UPDATE ${s}.lote_item SET release_state = 'pending' WHERE release_state = 'held'`);
    await q.query(`
      ALTER TABLE ${s}.lote_item
        DROP CONSTRAINT lote_item_release_state_check,
        ADD CONSTRAINT lote_item_release_state_check CHECK (release_state IN ('pending', 'released', 'done'))`);
    await q.query(`DROP TABLE ${s}.plan_item`);
    await q.query(`DROP TABLE ${s}.plan`);
  }
}
