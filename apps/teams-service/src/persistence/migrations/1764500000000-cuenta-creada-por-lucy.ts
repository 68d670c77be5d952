import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * Whether the Graph user in graph_user_id was created by Lucy (an onboarding of this student) rather than
 * found existing: only such a user, left behind by a failed onboarding, is disabled and reported for the
 * saga to delete. Rows from before start false (nothing of theirs is undone on that account).
 */
export class CuentaCreadaPorLucy1764500000000 implements MigrationInterface {
  name = 'CuentaCreadaPorLucy1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ${schemaOf(q)}.cuenta ADD COLUMN IF NOT EXISTS creada_por_lucy boolean NOT NULL DEFAULT false`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.cuenta DROP COLUMN creada_por_lucy`);
  }
}
