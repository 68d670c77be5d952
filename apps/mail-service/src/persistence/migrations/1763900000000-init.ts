import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/** mail-service's table: one row per credentials email (see persistence/envio.entity.ts, domain/envio.ts). */
export class MailInit1763900000000 implements MigrationInterface {
  name = 'MailInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.envio (
        id                 uuid PRIMARY KEY,
        alumno_id          uuid NOT NULL,
        plantilla          text NOT NULL,
        credencial_version int NOT NULL,
        destinatario       text NOT NULL,
        estado             text NOT NULL CHECK (estado IN ('enviando', 'enviado', 'fallido', 'incierto')),
        permanente         boolean,
        motivo             text,
        codigo             text,
        message_id         text NOT NULL,
        respuesta_smtp     text,
        intentos           int NOT NULL DEFAULT 1,
        correlation_id     text NOT NULL,
        enviado_at         timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one email per student, template and credential version.
    await q.query(`CREATE UNIQUE INDEX envio_clave ON ${s}.envio (alumno_id, plantilla, credencial_version)`);
    // An operator's list of what needs a look.
    await q.query(
      `CREATE INDEX envio_pendientes ON ${s}.envio (updated_at) WHERE estado IN ('enviando', 'incierto', 'fallido')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.envio`);
  }
}
