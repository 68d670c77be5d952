import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * The student registry (one alumno per DNI) and the lotes that feed it: each pull or upload, its
 * counts and invalid rows, and one item per row with its outcome and its place in the release window.
 */
export class IngestInit1763900000000 implements MigrationInterface {
  name = 'IngestInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.alumno (
        id uuid PRIMARY KEY,
        dni text NOT NULL UNIQUE CHECK (dni ~ '^[0-9]{7,8}$'),
        nombre text NOT NULL,
        apellido text NOT NULL,
        email_personal text,
        email_institucional text,
        carrera text NOT NULL,
        estado text NOT NULL CHECK (estado IN ('aspirante', 'preinscripto', 'ingresante')),
        periodo text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${s}.lote (
        id uuid PRIMARY KEY,
        origen text NOT NULL CHECK (origen IN ('sial', 'upload')),
        descripcion text,
        estado text NOT NULL CHECK (estado IN ('en_curso', 'completado', 'fallido')),
        correlation_id text NOT NULL,
        total int NOT NULL DEFAULT 0,
        nuevos int NOT NULL DEFAULT 0,
        actualizados int NOT NULL DEFAULT 0,
        sin_cambios int NOT NULL DEFAULT 0,
        invalidos int NOT NULL DEFAULT 0,
        filas_invalidas jsonb NOT NULL DEFAULT '[]',
        motivo_fallo text,
        received_at timestamptz NOT NULL DEFAULT now(),
        ingested_at timestamptz,
        completed_at timestamptz,
        failed_at timestamptz
      )`);
    await q.query(`CREATE INDEX lote_en_curso ON ${s}.lote (received_at) WHERE estado = 'en_curso'`);
    await q.query(`
      CREATE TABLE ${s}.lote_item (
        id bigserial PRIMARY KEY,
        lote_id uuid NOT NULL REFERENCES ${s}.lote (id) ON DELETE CASCADE,
        fila int NOT NULL,
        fuente text NOT NULL,
        dni text,
        alumno_id uuid REFERENCES ${s}.alumno (id),
        resultado text NOT NULL CHECK (resultado IN ('nuevo', 'actualizado', 'sin_cambios', 'invalido')),
        cambios jsonb,
        release_state text CHECK (release_state IN ('pending', 'released', 'done')),
        released_at timestamptz,
        done_at timestamptz,
        timed_out boolean NOT NULL DEFAULT false,
        CHECK ((release_state IS NULL) = (resultado IN ('sin_cambios', 'invalido')))
      )`);
    await q.query(`CREATE INDEX lote_item_lote ON ${s}.lote_item (lote_id, id)`);
    await q.query(`CREATE INDEX lote_item_pending ON ${s}.lote_item (lote_id, id) WHERE release_state = 'pending'`);
    await q.query(`CREATE INDEX lote_item_released ON ${s}.lote_item (alumno_id) WHERE release_state = 'released'`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP TABLE ${s}.lote_item`);
    await q.query(`DROP TABLE ${s}.lote`);
    await q.query(`DROP TABLE ${s}.alumno`);
  }
}
