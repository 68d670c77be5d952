import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/** The gateway's read model: workflows (one saga instance per row), their steps, the audit trail, lotes. */
export class GatewayInit1763900000000 implements MigrationInterface {
  name = 'GatewayInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.workflow (
        id uuid PRIMARY KEY,
        alumno_id uuid NOT NULL,
        tipo text NOT NULL,
        estado text NOT NULL,
        lote_id uuid,
        correlation_id text NOT NULL,
        alumno jsonb,
        upn text,
        graph_user_id text,
        moodle_user_id integer,
        cursos jsonb NOT NULL DEFAULT '[]',
        avisos jsonb NOT NULL DEFAULT '[]',
        error text,
        atascado boolean NOT NULL DEFAULT false,
        vence_at timestamptz,
        version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        UNIQUE (alumno_id, tipo)
      )`);
    await q.query(`CREATE INDEX workflow_lote ON ${s}.workflow (lote_id)`);
    await q.query(`CREATE INDEX workflow_estado ON ${s}.workflow (estado, updated_at)`);
    await q.query(`CREATE INDEX workflow_vence ON ${s}.workflow (vence_at) WHERE vence_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE ${s}.workflow_paso (
        workflow_id uuid NOT NULL REFERENCES ${s}.workflow(id) ON DELETE CASCADE,
        paso text NOT NULL,
        orden integer NOT NULL,
        estado text NOT NULL,
        intentos integer NOT NULL DEFAULT 0,
        ultimo_error text,
        detalle jsonb,
        started_at timestamptz,
        finished_at timestamptz,
        PRIMARY KEY (workflow_id, paso)
      )`);
    await q.query(`
      CREATE TABLE ${s}.auditoria (
        id bigserial PRIMARY KEY,
        workflow_id uuid,
        alumno_id uuid,
        lote_id uuid,
        at timestamptz NOT NULL DEFAULT now(),
        evento text NOT NULL,
        actor text NOT NULL,
        message_id text,
        causation_id text,
        correlation_id text,
        detalle jsonb
      )`);
    await q.query(`CREATE INDEX auditoria_alumno ON ${s}.auditoria (alumno_id, id)`);
    await q.query(`
      CREATE TABLE ${s}.lote (
        id uuid PRIMARY KEY,
        origen text NOT NULL,
        estado text NOT NULL,
        solicitado_por text NOT NULL,
        correlation_id text NOT NULL,
        nombre_archivo text,
        total integer,
        nuevos integer,
        actualizados integer,
        sin_cambios integer,
        invalidos jsonb NOT NULL DEFAULT '[]',
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        ingestado_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE ${s}.lote_alumno (
        lote_id uuid NOT NULL REFERENCES ${s}.lote(id) ON DELETE CASCADE,
        alumno_id uuid NOT NULL,
        PRIMARY KEY (lote_id, alumno_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    for (const t of ['lote_alumno', 'lote', 'auditoria', 'workflow_paso', 'workflow'])
      await q.query(`DROP TABLE ${s}.${t}`);
  }
}
