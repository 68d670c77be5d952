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
import { AuditoriaRepository, type AsientoLeido } from './auditoria.repository.js';
import { isoSql } from './json.sql.js';
import { prepared } from '../persistence/prepared.js';

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

  /**
   * One student's page, in one query: the onboarding workflow's row with its steps, the lifecycle
   * workflows with theirs, the lotes and the audit trail nested as json (json.sql.ts), instead of a round
   * trip for each (the page is what the dashboard and the operators read most).
   */
  async alumno(alumnoId: string) {
    const [w] = await prepared(
      this.db,
      'gateway-alumno',
      `SELECT w.id, w.tipo, w.estado, w.lote_id, w.correlation_id, w.alumno, w.upn, w.cursos, w.avisos, w.error,
              w.atascado, w.vence_at, w.created_at, w.updated_at, w.finished_at,
              (SELECT coalesce(json_agg(${this.pasoJson('p')} ORDER BY p.orden), '[]')
                 FROM ${this.s}.workflow_paso p WHERE p.workflow_id = w.id) AS pasos,
              (SELECT coalesce(json_agg(json_build_object('id', c.id, 'tipo', c.tipo, 'estado', c.estado, 'datos', c.datos,
                        'avisos', c.avisos, 'error', c.error, 'atascado', c.atascado, 'created_at', ${isoSql('c.created_at')},
                        'finished_at', ${isoSql('c.finished_at')}, 'vence_at', ${isoSql('c.vence_at')},
                        'pasos', (SELECT coalesce(json_agg(${this.pasoJson('cp')} ORDER BY cp.orden), '[]')
                                    FROM ${this.s}.workflow_paso cp WHERE cp.workflow_id = c.id))
                      ORDER BY c.created_at, c.id), '[]')
                 FROM ${this.s}.workflow c WHERE c.alumno_id = w.alumno_id AND c.tipo <> 'onboarding') AS ciclo,
              (SELECT coalesce(json_agg(la.lote_id), '[]') FROM ${this.s}.lote_alumno la WHERE la.alumno_id = w.alumno_id) AS lotes,
              ${this.auditoria.delAlumnoSql('w.alumno_id')} AS auditoria
         FROM ${this.s}.workflow w WHERE w.alumno_id = $1 AND w.tipo = 'onboarding'`,
      [alumnoId],
    );
    if (!w) throw new NotFoundException(`no hay un alumno ${alumnoId} en Lucy`);
    const pasos: PasoLeido[] = w.pasos;
    const porPaso = Object.fromEntries(pasos.map((p) => [p.paso, p]));
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
      lotes: w.lotes as string[],
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
        pasos: pasos.map((p) => ({
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
      ciclo: (w.ciclo as CicloLeido[]).map(cicloDe),
      auditoria: w.auditoria as AsientoLeido[],
    };
  }

  /** A workflow_paso row `p` as json, its timestamps as the API writes them. */
  private pasoJson(p: string): string {
    return `json_build_object('paso', ${p}.paso, 'estado', ${p}.estado, 'intentos', ${p}.intentos, 'ultimo_error', ${p}.ultimo_error,
              'detalle', ${p}.detalle, 'started_at', ${isoSql(`${p}.started_at`)}, 'finished_at', ${isoSql(`${p}.finished_at`)})`;
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

/** A workflow_paso row as pasoJson gives it. */
interface PasoLeido {
  paso: string;
  estado: string;
  intentos: number;
  ultimo_error: string | null;
  detalle: Record<string, unknown> | null;
  started_at: string | null;
  finished_at: string | null;
}

/** A lifecycle workflow as alumno()'s query gives it, with its steps in order. */
interface CicloLeido {
  id: string;
  tipo: string;
  estado: string;
  datos: { motivo?: string | null } | null;
  avisos: string[];
  error: string | null;
  atascado: boolean;
  created_at: string;
  finished_at: string | null;
  vence_at: string | null;
  pasos: PasoLeido[];
}

/** The student's lifecycle workflow as the API shows it, each step with the label its kind gives it. */
function cicloDe(w: CicloLeido) {
  const tipo = tipoCiclo(w.tipo);
  const etiquetas = new Map(tipo ? pasosDe(tipo).map((p) => [p.paso, p.etiqueta]) : []);
  return {
    id: w.id,
    tipo: w.tipo,
    etiqueta: tipo?.etiqueta ?? w.tipo,
    estado: w.estado,
    motivo: w.datos?.motivo ?? null,
    avisos: w.avisos,
    error: w.error,
    atascado: w.atascado,
    creadoAt: w.created_at,
    terminadoAt: w.finished_at,
    venceAt: w.vence_at,
    pasos: w.pasos.map((p) => ({
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
}
