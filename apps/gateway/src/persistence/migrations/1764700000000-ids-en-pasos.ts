import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * The ids each system gave (Entra's user id, Moodle's user id) live in the details of the step that got
 * them (workflow_paso.detalle, as the saga's step table declares), not in a column per system: a new
 * step needs no migration. The values already stored move to their steps.
 */
export class GatewayIdsEnPasos1764700000000 implements MigrationInterface {
  name = 'GatewayIdsEnPasos1764700000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    for (const [paso, columna, clave] of [
      ['cuenta', 'graph_user_id', 'graphUserId'],
      ['moodle', 'moodle_user_id', 'moodleUserId'],
    ]) {
      await q.query(
        `UPDATE ${s}.workflow_paso p SET detalle = coalesce(p.detalle, '{}'::jsonb) || jsonb_build_object('${clave}', w.${columna})
           FROM ${s}.workflow w
          WHERE p.workflow_id = w.id AND p.paso = '${paso}' AND w.${columna} IS NOT NULL AND NOT coalesce(p.detalle ? '${clave}', false)`,
      );
    }
    await q.query(`ALTER TABLE ${s}.workflow DROP COLUMN graph_user_id, DROP COLUMN moodle_user_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.workflow ADD COLUMN graph_user_id text, ADD COLUMN moodle_user_id integer`);
    await q.query(
      `UPDATE ${s}.workflow w SET graph_user_id = p.detalle->>'graphUserId'
         FROM ${s}.workflow_paso p WHERE p.workflow_id = w.id AND p.paso = 'cuenta'`,
    );
    await q.query(
      `UPDATE ${s}.workflow w SET moodle_user_id = (p.detalle->>'moodleUserId')::integer
         FROM ${s}.workflow_paso p WHERE p.workflow_id = w.id AND p.paso = 'moodle'`,
    );
  }
}
