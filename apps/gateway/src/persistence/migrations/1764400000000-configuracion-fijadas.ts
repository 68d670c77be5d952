import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * Each version stores the keys an operator has set (`fijadas`): a key can now be set without a new value
 * and given back to the services' environment, which the union of every version's `cambios` cannot say.
 * Nullable and not back-filled: a row without it keeps that union's meaning on read
 * (src/configuracion/configuracion.store.ts), so the rows already written need not change.
 */
export class GatewayConfiguracionFijadas1764400000000 implements MigrationInterface {
  name = 'GatewayConfiguracionFijadas1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.configuracion ADD COLUMN fijadas jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.configuracion DROP COLUMN fijadas`);
  }
}
