// Workflows as a list: filtered by state, type and date, and the stuck ones — flagged by the sweeper
// (past their step's deadline) or still running more than an hour after they began.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { WhereClause, type Page } from '../api/schemas.js';
import { TERMINALES } from '../sagas/onboarding.model.js';
import { EN_ESPERA_CICLO, TERMINALES_CICLO } from '../ciclo/ciclo.saga.js';

/** States in which a workflow of any kind is not running: finished, or waiting on purpose (a leaver's grace). */
const SIN_CORRER = [...new Set([...TERMINALES, ...TERMINALES_CICLO, ...EN_ESPERA_CICLO])];

export interface WorkflowFiltro {
  estado?: string;
  tipo?: string;
  atascado?: boolean;
  loteId?: string;
  desde?: string;
  hasta?: string;
}

export interface WorkflowResumen {
  id: string;
  tipo: string;
  estado: string;
  alumnoId: string;
  alumno: string | null;
  loteId: string | null;
  atascado: boolean;
  avisos: string[];
  error: string | null;
  creadoAt: string;
  actualizadoAt: string;
  terminadoAt: string | null;
  venceAt: string | null;
}

const resumen = (w: Record<string, any>): WorkflowResumen => ({
  id: w.id,
  tipo: w.tipo,
  estado: w.estado,
  alumnoId: w.alumno_id,
  alumno: w.alumno ? `${w.alumno.apellido}, ${w.alumno.nombre} (${w.alumno.dni})` : null,
  loteId: w.lote_id,
  atascado: w.atascado,
  avisos: w.avisos,
  error: w.error,
  creadoAt: w.created_at.toISOString(),
  actualizadoAt: w.updated_at.toISOString(),
  terminadoAt: w.finished_at?.toISOString() ?? null,
  venceAt: w.vence_at?.toISOString() ?? null,
});

@Injectable()
export class WorkflowListaQueries {
  private readonly s: string;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly db: DataSource,
  ) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  listar(f: WorkflowFiltro, limit: number, offset: number): Promise<Page<WorkflowResumen>> {
    return this.pagina(
      new WhereClause()
        .add((p) => `estado = ${p}`, f.estado)
        .add((p) => `tipo = ${p}`, f.tipo)
        .add((p) => `atascado = ${p}`, f.atascado)
        .add((p) => `lote_id = ${p}`, f.loteId)
        .add((p) => `created_at >= ${p}::timestamptz`, f.desde)
        .add((p) => `created_at < ${p}::timestamptz`, f.hasta),
      limit,
      offset,
    );
  }

  /** Flagged stuck, or still running STUCK_AFTER_MS (1 h) after it began (a leaver's grace is not running). */
  atascados(limit: number, offset: number): Promise<Page<WorkflowResumen>> {
    const f = new WhereClause();
    const terminales = f.param(SIN_CORRER);
    const antesDe = f.param(new Date(Date.now() - this.config.STUCK_AFTER_MS).toISOString());
    f.raw(`(atascado OR (estado <> ALL(${terminales}::text[]) AND created_at < ${antesDe}::timestamptz))`);
    return this.pagina(f, limit, offset, 'created_at ASC');
  }

  private async pagina(
    f: WhereClause,
    limit: number,
    offset: number,
    orden = 'created_at DESC',
  ): Promise<Page<WorkflowResumen>> {
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM ${this.s}.workflow ${f.sql}`, f.params);
    const rows = await this.db.query(
      `SELECT * FROM ${this.s}.workflow ${f.sql} ORDER BY ${orden}, id LIMIT ${f.param(limit)} OFFSET ${f.param(offset)}`,
      f.params,
    );
    return { total, limit, offset, items: rows.map(resumen) };
  }
}
