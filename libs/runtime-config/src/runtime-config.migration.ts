// The version of the runtime configuration this service has applied: one row, in the service's schema
// (each service lists RuntimeConfigTable1764000000000 among its migrations).
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

export class RuntimeConfigTable1764000000000 implements MigrationInterface {
  name = 'RuntimeConfigTable1764000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE IF NOT EXISTS ${schemaOf(qr)}.configuracion_aplicada (
        id           smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        version      integer NOT NULL,
        valores      jsonb NOT NULL,
        fijadas      jsonb NOT NULL,
        rechazadas   jsonb NOT NULL DEFAULT '{}',
        cambiado_por text NOT NULL,
        applied_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS ${schemaOf(qr)}.configuracion_aplicada`);
  }
}
