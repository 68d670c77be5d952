import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * What the HTTP API keeps: access tokens (hashed), tareas (one record per sync, upload, bulk action or
 * retry), the versioned runtime configuration, the last known state of every service's breakers, and
 * indexes for the student and lote filters.
 */
export class GatewayApi1764000000000 implements MigrationInterface {
  name = 'GatewayApi1764000000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`
      CREATE TABLE ${s}.api_token (
        id uuid PRIMARY KEY,
        nombre text NOT NULL,
        rol text NOT NULL CHECK (rol IN ('admin', 'operator', 'viewer')),
        hash text NOT NULL UNIQUE,
        creado_por text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        usado_at timestamptz,
        revocado_at timestamptz
      )`);
    // A name identifies its holder in the audit trail: unique among the tokens still valid.
    await q.query(`CREATE UNIQUE INDEX api_token_nombre ON ${s}.api_token (nombre) WHERE revocado_at IS NULL`);
    await q.query(`
      CREATE TABLE ${s}.tarea (
        id uuid PRIMARY KEY,
        tipo text NOT NULL,
        estado text NOT NULL,
        actor text NOT NULL,
        lote_id uuid,
        total integer NOT NULL DEFAULT 0,
        exitosos integer NOT NULL DEFAULT 0,
        fallidos integer NOT NULL DEFAULT 0,
        detalle jsonb NOT NULL DEFAULT '{}',
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX tarea_started ON ${s}.tarea (started_at DESC)`);
    await q.query(`CREATE INDEX tarea_lote ON ${s}.tarea (lote_id) WHERE lote_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE ${s}.configuracion (
        version integer PRIMARY KEY,
        valores jsonb NOT NULL,
        cambios jsonb NOT NULL DEFAULT '[]',
        cambiado_por text NOT NULL,
        motivo text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${s}.breaker_estado (
        servicio text NOT NULL,
        dependencia text NOT NULL,
        estado text NOT NULL,
        motivo text,
        at timestamptz NOT NULL,
        PRIMARY KEY (servicio, dependencia)
      )`);
    await q.query(`CREATE INDEX workflow_created ON ${s}.workflow (created_at DESC)`);
    await q.query(`CREATE INDEX lote_created ON ${s}.lote (created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP INDEX ${s}.lote_created`);
    await q.query(`DROP INDEX ${s}.workflow_created`);
    for (const t of ['breaker_estado', 'configuracion', 'tarea', 'api_token']) await q.query(`DROP TABLE ${s}.${t}`);
  }
}
