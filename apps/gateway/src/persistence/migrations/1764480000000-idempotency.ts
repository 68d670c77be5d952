import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * Idempotency-Key: one row per token and key, claimed when a POST with the key starts and holding its
 * first answer until it expires (src/idempotency/). `body` is the answer sealed with a key derived from
 * the caller's bearer token, which this database does not hold (a POST /tokens answer carries a token).
 */
export class GatewayIdempotency1764480000000 implements MigrationInterface {
  name = 'GatewayIdempotency1764480000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.idempotency_key (
        token_id uuid NOT NULL REFERENCES ${s}.api_token(id) ON DELETE CASCADE,
        key text NOT NULL,
        fingerprint text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        claim_id uuid NOT NULL,
        claimed_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        completed_at timestamptz,
        status smallint,
        headers jsonb,
        body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (token_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_key_expires_at ON ${s}.idempotency_key (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.idempotency_key`);
  }
}
