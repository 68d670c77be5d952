// Read side of the workflows, for the API.
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { Paso } from '../sagas/onboarding.model.js';
import { tipoCiclo } from '../ciclo/ciclo.pasos.js';
import { CATALOGO_ACCIONES } from '../acciones/acciones.service.js';
import { pasosDe } from '../ciclo/ciclo.saga.js';
import { DESCRIPCION_PASOS, idDe, NO_CRITICOS } from '../sagas/onboarding.saga.js';
import { AuditoriaRepository } from './auditoria.repository.js';

@Injectable()
export class WorkflowQueries {
  private readonly s: string;

  constructor(
    @InjectConfig() config: GatewayConfig,
    private readonly db: DataSource,
    private readonly auditoria: AuditoriaRepository,
  ) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  async alumno(alumnoId: string) {
    const [w] = await this.db.query(`SELECT * FROM ${this.s}.workflow WHERE alumno_id = $1 AND tipo = 'onboarding'`, [
      alumnoId,
    ]);
    if (!w) throw new NotFoundException(`no hay un alumno ${alumnoId} en Lucy`);
    const pasos = await this.db.query(
      `SELECT paso, estado, intentos, ultimo_error, detalle, started_at, finished_at FROM ${this.s}.workflow_paso WHERE workflow_id = $1 ORDER BY orden`,
      [w.id],
    );
    const auditoria = await this.auditoria.delAlumno(this.db.manager, alumnoId);
    const ciclo = await this.ciclo(alumnoId);
    const porPaso = Object.fromEntries(pasos.map((p: { paso: string; detalle: unknown }) => [p.paso, p]));
    const lotes = await this.db.query(`SELECT lote_id FROM ${this.s}.lote_alumno WHERE alumno_id = $1`, [alumnoId]);
    return {
      alumnoId,
      alumno: w.alumno,
      cuentas: {
        upn: w.upn,
        graphUserId: idDe(porPaso, 'graphUserId'),
        moodleUserId: idDe(porPaso, 'moodleUserId'),
        cursos: w.cursos,
      },
      acciones: CATALOGO_ACCIONES,
      lotes: lotes.map((l: { lote_id: string }) => l.lote_id),
      workflow: {
        id: w.id,
        tipo: w.tipo,
        estado: w.estado,
        atascado: w.atascado,
        avisos: w.avisos,
        error: w.error,
        loteId: w.lote_id,
        correlationId: w.correlation_id,
        creadoAt: w.created_at,
        actualizadoAt: w.updated_at,
        terminadoAt: w.finished_at,
        venceAt: w.vence_at,
        pasos: pasos.map((p: Record<string, unknown>) => ({
          paso: p.paso,
          ...DESCRIPCION_PASOS[p.paso as Paso],
          estado: p.estado,
          intentos: p.intentos,
          ultimoError: p.ultimo_error,
          detalle: p.detalle,
          inicio: p.started_at,
          fin: p.finished_at,
        })),
      },
      ciclo,
      auditoria,
    };
  }

  /** The student's lifecycle workflows, oldest first, each with its steps as the engine's table names them. */
  private async ciclo(alumnoId: string) {
    const rows = await this.db.query(
      `SELECT * FROM ${this.s}.workflow WHERE alumno_id = $1 AND tipo <> 'onboarding' ORDER BY created_at, id`,
      [alumnoId],
    );
    const pasos: {
      workflow_id: string;
      paso: string;
      estado: string;
      intentos: number;
      ultimo_error: string | null;
      detalle: unknown;
      started_at: Date | null;
      finished_at: Date | null;
    }[] = rows.length
      ? await this.db.query(`SELECT * FROM ${this.s}.workflow_paso WHERE workflow_id = ANY($1) ORDER BY orden`, [
          rows.map((r: { id: string }) => r.id),
        ])
      : [];
    return rows.map((w: Record<string, unknown>) => {
      const tipo = tipoCiclo(w.tipo as string);
      const etiquetas = new Map(tipo ? pasosDe(tipo).map((p) => [p.paso, p.etiqueta]) : []);
      return {
        id: w.id,
        tipo: w.tipo,
        etiqueta: tipo?.etiqueta ?? (w.tipo as string),
        estado: w.estado,
        motivo: (w.datos as { motivo?: string | null } | null)?.motivo ?? null,
        avisos: w.avisos,
        error: w.error,
        atascado: w.atascado,
        creadoAt: w.created_at,
        terminadoAt: w.finished_at,
        venceAt: w.vence_at,
        pasos: pasos
          .filter((p) => p.workflow_id === w.id)
          .map((p) => ({
            paso: p.paso,
            etiqueta: etiquetas.get(p.paso) ?? p.paso,
            estado: p.estado,
            intentos: p.intentos,
            ultimoError: p.ultimo_error,
            detalle: p.detalle,
            inicio: p.started_at,
            fin: p.finished_at,
          })),
      };
    });
  }

  /** Students of a lote whose onboarding completed with warnings, and which non-critical steps failed. */
  async conAvisos(loteId: string): Promise<{ alumnoId: string; pasos: Paso[] }[]> {
    const rows: { alumno_id: string; pasos: Paso[] }[] = await this.db.query(
      `SELECT w.alumno_id, array_agg(p.paso) AS pasos
         FROM ${this.s}.lote_alumno la
         JOIN ${this.s}.workflow w ON w.alumno_id = la.alumno_id AND w.tipo = 'onboarding'
         JOIN ${this.s}.workflow_paso p ON p.workflow_id = w.id
        WHERE la.lote_id = $1 AND w.estado = 'completado_con_avisos' AND p.estado = 'fallido' AND p.paso = ANY($2)
        GROUP BY w.alumno_id`,
      [loteId, NO_CRITICOS],
    );
    return rows.map((r) => ({ alumnoId: r.alumno_id, pasos: r.pasos }));
  }

  /** Students of a lote whose onboarding failed at the account (the critical step): to run again. */
  async fallidos(loteId: string): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT w.alumno_id FROM ${this.s}.lote_alumno la JOIN ${this.s}.workflow w ON w.alumno_id = la.alumno_id AND w.tipo = 'onboarding'
        WHERE la.lote_id = $1 AND w.estado = 'fallido'`,
      [loteId],
    );
    return rows.map((r: { alumno_id: string }) => r.alumno_id);
  }
}
