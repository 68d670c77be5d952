import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * A lote's ingesta also counts the students it took as leaving (bajas) and those back (retornos), and
 * lists the rows of unknown students marked leaving (not onboarded), as ingest-service's LoteIngestado
 * says. Null until ingest answers, and for lotes answered before it said so.
 */
export class GatewayLoteBajas1764910000000 implements MigrationInterface {
  name = 'GatewayLoteBajas1764910000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(
      `ALTER TABLE ${s}.lote ADD COLUMN bajas integer, ADD COLUMN retornos integer, ADD COLUMN bajas_desconocidas jsonb NOT NULL DEFAULT '[]'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.lote DROP COLUMN bajas, DROP COLUMN retornos, DROP COLUMN bajas_desconocidas`);
  }
}
