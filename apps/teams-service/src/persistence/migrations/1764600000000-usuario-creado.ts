import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * Every Graph user an onboarding creates, noted the moment Graph answers, outside the handler's
 * transaction: when that attempt fails afterwards its transaction (and the cuenta row's graph_user_id)
 * rolls back, and the failure of a later attempt must still know which user to disable without asking
 * Graph, which may be the very thing failing. Rows go once the cuenta row records the user.
 */
export class UsuarioCreado1764600000000 implements MigrationInterface {
  name = 'UsuarioCreado1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE IF NOT EXISTS ${s}.usuario_creado (
        graph_user_id text PRIMARY KEY,
        alumno_id uuid NOT NULL,
        upn text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS usuario_creado_alumno ON ${s}.usuario_creado (alumno_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.usuario_creado`);
  }
}
