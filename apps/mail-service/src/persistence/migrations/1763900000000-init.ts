import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/** The first table of mail-service: the messages it sent (one row per send). The pipeline work adds its columns. */
export class MailInit1763900000000 implements MigrationInterface {
  name = 'MailInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${schemaOf(q)}.envio (
        id uuid PRIMARY KEY,
        alumno_id uuid NOT NULL,
        plantilla text NOT NULL,
        destinatario text NOT NULL,
        estado text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.envio`);
  }
}
