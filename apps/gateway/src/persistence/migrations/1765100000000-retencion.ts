import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * The retention runs (src/retencion): who asked, with which ages, and each service's answer — what it
 * removed (or would remove, simulating) per kind, its cutoff and how long it took — or its failure or silence.
 */
export class GatewayRetencion1765100000000 implements MigrationInterface {
  name = 'GatewayRetencion1765100000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.retencion_ejecucion (
        id uuid PRIMARY KEY,
        estado text NOT NULL CHECK (estado IN ('en_curso', 'terminada', 'fallida')),
        simulada boolean NOT NULL,
        actor text NOT NULL,
        edades jsonb NOT NULL,
        servicios jsonb NOT NULL,
        resultados jsonb NOT NULL DEFAULT '{}',
        iniciada_at timestamptz NOT NULL DEFAULT now(),
        vence_at timestamptz NOT NULL,
        terminada_at timestamptz
      )`);
    await q.query(`CREATE INDEX retencion_ejecucion_iniciada ON ${s}.retencion_ejecucion (iniciada_at DESC)`);
    await q.query(
      `CREATE INDEX retencion_ejecucion_en_curso ON ${s}.retencion_ejecucion (vence_at) WHERE estado = 'en_curso'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.retencion_ejecucion`);
  }
}
