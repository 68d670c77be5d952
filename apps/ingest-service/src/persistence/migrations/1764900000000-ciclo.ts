import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * The student's stay in the registry: estados baja and egresado; whether the student is leaving and why
 * (`motivo_baja`, null while active); the SIAL list they were last seen in and how many complete pulls
 * of it in a row have missed them. A lote counts its bajas and retornos and lists the unknown students
 * marked leaving; an item can be a baja (a row's, or an absence: no row, so `fila` may be null), a
 * retorno or an unknown leaver, and keeps an update's data before (`anterior`) for its event.
 */
export class IngestCiclo1764900000000 implements MigrationInterface {
  name = 'IngestCiclo1764900000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.alumno DROP CONSTRAINT alumno_estado_check`);
    await q.query(`
      ALTER TABLE ${s}.alumno
        ADD CONSTRAINT alumno_estado_check CHECK (estado IN ('aspirante', 'preinscripto', 'ingresante', 'baja', 'egresado')),
        ADD COLUMN motivo_baja text CHECK (motivo_baja IN ('baja', 'egresado', 'ausente')),
        ADD COLUMN baja_at timestamptz,
        ADD COLUMN lista_sial text,
        ADD COLUMN ausencias int NOT NULL DEFAULT 0 CHECK (ausencias >= 0)`);
    await q.query(`CREATE INDEX alumno_activo_lista ON ${s}.alumno (lista_sial) WHERE motivo_baja IS NULL`);
    await q.query(`
      ALTER TABLE ${s}.lote
        ADD COLUMN bajas int NOT NULL DEFAULT 0,
        ADD COLUMN retornos int NOT NULL DEFAULT 0,
        ADD COLUMN bajas_desconocidas jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`
      ALTER TABLE ${s}.lote_item
        DROP CONSTRAINT lote_item_resultado_check,
        DROP CONSTRAINT lote_item_check,
        ALTER COLUMN fila DROP NOT NULL,
        ADD COLUMN motivo text,
        ADD COLUMN anterior jsonb,
        ADD CONSTRAINT lote_item_resultado_check
          CHECK (resultado IN ('nuevo', 'actualizado', 'sin_cambios', 'invalido', 'baja', 'retorno', 'baja_desconocida')),
        ADD CONSTRAINT lote_item_check
          CHECK ((release_state IS NULL) = (resultado IN ('sin_cambios', 'invalido', 'baja_desconocida')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DELETE FROM ${s}.lote_item WHERE resultado IN ('baja', 'retorno', 'baja_desconocida')`);
    await q.query(`
      ALTER TABLE ${s}.lote_item
        DROP CONSTRAINT lote_item_resultado_check,
        DROP CONSTRAINT lote_item_check,
        DROP COLUMN motivo,
        DROP COLUMN anterior,
        ALTER COLUMN fila SET NOT NULL,
        ADD CONSTRAINT lote_item_resultado_check CHECK (resultado IN ('nuevo', 'actualizado', 'sin_cambios', 'invalido')),
        ADD CONSTRAINT lote_item_check CHECK ((release_state IS NULL) = (resultado IN ('sin_cambios', 'invalido')))`);
    await q.query(`ALTER TABLE ${s}.lote DROP COLUMN bajas, DROP COLUMN retornos, DROP COLUMN bajas_desconocidas`);
    await q.query(`DROP INDEX ${s}.alumno_activo_lista`);
    await q.query(`
      ALTER TABLE ${s}.alumno
        DROP COLUMN motivo_baja, DROP COLUMN baja_at, DROP COLUMN lista_sial, DROP COLUMN ausencias,
        DROP CONSTRAINT alumno_estado_check,
        ADD CONSTRAINT alumno_estado_check CHECK (estado IN ('aspirante', 'preinscripto', 'ingresante')) NOT VALID`);
  }
}
