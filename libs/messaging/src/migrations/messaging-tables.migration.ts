// The transport's own tables, created in the service's schema by the service's migrations
// (each service lists MessagingTables1732000000000 among its migrations).
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

export class MessagingTables1732000000000 implements MigrationInterface {
  name = 'MessagingTables1732000000000';

  async up(qr: QueryRunner): Promise<void> {
    const s = schemaOf(qr);
    await qr.query(`
      CREATE TABLE IF NOT EXISTS ${s}.outbox (
        id           bigserial PRIMARY KEY,
        message_id   uuid NOT NULL UNIQUE,
        exchange     text NOT NULL,
        routing_key  text NOT NULL,
        type         text NOT NULL,
        body         text NOT NULL,
        headers      jsonb NOT NULL DEFAULT '{}',
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    // The relay only ever looks for what is still to be sent.
    await qr.query(`CREATE INDEX IF NOT EXISTS outbox_pending ON ${s}.outbox (id) WHERE published_at IS NULL`);
    await qr.query(`
      CREATE TABLE IF NOT EXISTS ${s}.inbox (
        consumer    text NOT NULL,
        message_id  text NOT NULL,
        type        text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);
    await qr.query(`CREATE INDEX IF NOT EXISTS inbox_applied_at ON ${s}.inbox (applied_at)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    const s = schemaOf(qr);
    await qr.query(`DROP TABLE IF EXISTS ${s}.inbox`);
    await qr.query(`DROP TABLE IF EXISTS ${s}.outbox`);
  }
}
