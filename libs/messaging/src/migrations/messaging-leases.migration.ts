// The lease table (lease/lease.store.ts), for services with handlers that take turns per key outside one
// long transaction (`@Handler(Def, { transaction: 'own', lease })`); listed after MessagingTables1732000000000.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

export class MessagingLeases1764700000000 implements MigrationInterface {
  name = 'MessagingLeases1764700000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE IF NOT EXISTS ${schemaOf(qr)}.lease (
        consumer text NOT NULL,
        key      text NOT NULL,
        holder   text NOT NULL,
        until    timestamptz NOT NULL,
        PRIMARY KEY (consumer, key)
      )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS ${schemaOf(qr)}.lease`);
  }
}
