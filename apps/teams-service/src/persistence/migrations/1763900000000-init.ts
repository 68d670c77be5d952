import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/** teams-service: one account per student (never the password). */
export class TeamsInit1763900000000 implements MigrationInterface {
  name = 'TeamsInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${schemaOf(q)}.cuenta (
        id uuid PRIMARY KEY,
        alumno_id uuid NOT NULL UNIQUE,
        upn text NOT NULL UNIQUE,
        graph_user_id text,
        estado text NOT NULL CHECK (estado IN ('pendiente', 'activa', 'deshabilitada', 'eliminada', 'fallida')),
        credencial_version integer NOT NULL DEFAULT 0 CHECK (credencial_version >= 0),
        ultimo_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX cuenta_estado_idx ON ${schemaOf(q)}.cuenta (estado)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.cuenta`);
  }
}
