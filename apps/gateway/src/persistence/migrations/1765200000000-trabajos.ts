import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@lucy/platform';

/**
 * Scheduled jobs (trabajos) and the academic calendar.
 * - sincronizacion_programada becomes every job's run history: a `trabajo` column (the rows so far are
 *   SIAL pulls: 'sial'), one row per scheduled time per job (unique, so one replica claims it), and manual
 *   runs (no scheduled time). Each row says how it went (ok / fallido with its error / omitido with its
 *   reason) and what it made ({tipo, id}); lote_id stays for the SIAL pulls' lotes.
 * - trabajo: each job's settings an operator changed (a job without a row runs on its defaults). The SIAL
 *   job's activa and cron stay in the runtime configuration (sincronizacion): its columns are null there.
 * - calendario_periodo: holidays and non-working periods, which a job with saltar_feriados skips.
 */
export class GatewayTrabajos1765200000000 implements MigrationInterface {
  name = 'GatewayTrabajos1765200000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    const t = `${s}.sincronizacion_programada`;
    await q.query(`
      ALTER TABLE ${t}
        DROP CONSTRAINT sincronizacion_programada_pkey,
        ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        ADD COLUMN trabajo text NOT NULL DEFAULT 'sial',
        ADD COLUMN disparo text NOT NULL DEFAULT 'programada'
          CHECK (disparo IN ('programada', 'recuperacion', 'manual')),
        ADD COLUMN actor text NOT NULL DEFAULT 'programador',
        ADD COLUMN resultado text NOT NULL DEFAULT 'ok'
          CHECK (resultado IN ('en_curso', 'ok', 'fallido', 'omitido')),
        ADD COLUMN motivo text CHECK (motivo IN ('feriado', 'fuera de vigencia')),
        ADD COLUMN feriado text,
        ADD COLUMN error text,
        ADD COLUMN producto jsonb,
        ADD COLUMN inicio timestamptz,
        ADD COLUMN fin timestamptz,
        ALTER COLUMN programada_para DROP NOT NULL,
        ALTER COLUMN lote_id DROP NOT NULL,
        ALTER COLUMN configuracion_version DROP NOT NULL`);
    await q.query(`UPDATE ${t} SET disparo = CASE WHEN recuperada THEN 'recuperacion' ELSE 'programada' END,
      producto = jsonb_build_object('tipo', 'lote', 'id', lote_id), inicio = created_at, fin = created_at`);
    // NULLs are distinct: manual runs (no scheduled time) never conflict.
    await q.query(`CREATE UNIQUE INDEX sincronizacion_programada_franja ON ${t} (trabajo, programada_para)`);
    await q.query(`CREATE INDEX sincronizacion_programada_historial ON ${t} (trabajo, created_at DESC)`);
    await q.query(`
      CREATE TABLE ${s}.trabajo (
        nombre text PRIMARY KEY,
        activo boolean,
        cron text,
        zona_horaria text,
        valido_desde date,
        valido_hasta date,
        saltar_feriados boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        actualizado_por text NOT NULL,
        actualizado_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${s}.calendario_periodo (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        desde date NOT NULL,
        hasta date NOT NULL,
        nombre text NOT NULL,
        tipo text NOT NULL CHECK (tipo IN ('feriado', 'receso')),
        creado_por text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (hasta >= desde)
      )`);
    await q.query(`CREATE INDEX calendario_periodo_fechas ON ${s}.calendario_periodo (desde, hasta)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    const t = `${s}.sincronizacion_programada`;
    await q.query(`DROP TABLE ${s}.calendario_periodo`);
    await q.query(`DROP TABLE ${s}.trabajo`);
    await q.query(`DELETE FROM ${t} WHERE trabajo <> 'sial' OR programada_para IS NULL OR lote_id IS NULL`);
    await q.query(`DROP INDEX ${s}.sincronizacion_programada_franja`);
    await q.query(`DROP INDEX ${s}.sincronizacion_programada_historial`);
    await q.query(`
      ALTER TABLE ${t}
        DROP CONSTRAINT sincronizacion_programada_pkey,
        DROP COLUMN id, DROP COLUMN trabajo, DROP COLUMN disparo, DROP COLUMN actor, DROP COLUMN resultado,
        DROP COLUMN motivo, DROP COLUMN feriado, DROP COLUMN error, DROP COLUMN producto, DROP COLUMN inicio, DROP COLUMN fin,
        ALTER COLUMN lote_id SET NOT NULL,
        ALTER COLUMN configuracion_version SET NOT NULL,
        ADD PRIMARY KEY (programada_para)`);
  }
}
