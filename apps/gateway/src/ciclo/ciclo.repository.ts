// Loads and saves lifecycle workflows (row + steps) inside the caller's transaction, in the same tables
// as onboarding's: `tipo` tells them apart, `datos` holds what the engine keeps beside the columns.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { guardarPasos, pasoDeFila } from '../workflows/pasos.sql.js';
import { pasosDe, TERMINALES_CICLO, type CicloState, type EstadoCiclo } from './ciclo.saga.js';
import { TIPOS_CICLO, tipoCiclo } from './ciclo.pasos.js';

export interface CicloRow {
  id: string;
  alumnoId: string;
  correlationId: string;
  createdAt: Date;
  /** When it is overdue, as last saved. */
  venceAt: Date | null;
  state: CicloState;
}

interface Guardado {
  datos: CicloState['datos'];
  fase: number;
  motivo: string | null;
  esperaHasta: string | null;
  reincorporar?: boolean;
}

export const TIPOS_DE_CICLO = TIPOS_CICLO.map((t) => t.tipo);

@Injectable()
export class CicloRepository {
  private readonly schema: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.schema = config.DB_SCHEMA;
  }

  private t(name: string) {
    return `"${this.schema}".${name}`;
  }

  async create(m: EntityManager, state: CicloState, correlationId: string, venceAt: Date | null): Promise<CicloRow> {
    const row: CicloRow = {
      id: randomUUID(),
      alumnoId: state.datos.alumnoId,
      correlationId,
      createdAt: new Date(),
      venceAt,
      state,
    };
    await m.query(
      `INSERT INTO ${this.t('workflow')} (id, alumno_id, tipo, estado, correlation_id) VALUES ($1, $2, $3, $4, $5)`,
      [row.id, row.alumnoId, state.tipo, state.estado, correlationId],
    );
    await this.save(m, row, venceAt);
    return row;
  }

  /** The student's lifecycle workflows still running or waiting, oldest first, locked for update. */
  async abiertos(m: EntityManager, alumnoId: string): Promise<CicloRow[]> {
    const rows = await m.query(
      `SELECT * FROM ${this.t('workflow')} WHERE alumno_id = $1 AND tipo = ANY($2) AND estado <> ALL($3)
        ORDER BY created_at, id FOR UPDATE`,
      [alumnoId, TIPOS_DE_CICLO, TERMINALES_CICLO],
    );
    return Promise.all(rows.map((r: Record<string, unknown>) => this.hydrate(m, r)));
  }

  /** The student's latest lifecycle workflow of a kind, whatever its state. */
  async ultimo(m: EntityManager, alumnoId: string, tipo: string): Promise<CicloRow | undefined> {
    const [row] = await m.query(
      `SELECT * FROM ${this.t('workflow')} WHERE alumno_id = $1 AND tipo = $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [alumnoId, tipo],
    );
    return row ? this.hydrate(m, row) : undefined;
  }

  /** How many lifecycle workflows of a kind the student has had. */
  async contar(m: EntityManager, alumnoId: string, tipo: string): Promise<number> {
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM ${this.t('workflow')} WHERE alumno_id = $1 AND tipo = $2`,
      [alumnoId, tipo],
    );
    return n;
  }

  /** Workflows whose wait (a leaver's grace) is over, locked and skipped by other replicas. */
  async esperasVencidas(m: EntityManager, estados: readonly EstadoCiclo[], limit = 200): Promise<CicloRow[]> {
    const rows = await m.query(
      `SELECT * FROM ${this.t('workflow')} WHERE tipo = ANY($1) AND estado = ANY($2) AND vence_at < now()
        ORDER BY vence_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      [TIPOS_DE_CICLO, estados],
    );
    return Promise.all(rows.map((r: Record<string, unknown>) => this.hydrate(m, r)));
  }

  /**
   * Workflows that wait for answers past their deadline and are not flagged yet (never one that waits on
   * purpose: a leaver's grace), locked and skipped by other replicas.
   */
  async vencidos(m: EntityManager, estados: readonly EstadoCiclo[], limit = 200): Promise<CicloRow[]> {
    const rows = await m.query(
      `SELECT * FROM ${this.t('workflow')} WHERE tipo = ANY($1) AND estado = ANY($2) AND vence_at < now() AND NOT atascado
        ORDER BY vence_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      [TIPOS_DE_CICLO, estados],
    );
    return Promise.all(rows.map((r: Record<string, unknown>) => this.hydrate(m, r)));
  }

  private async hydrate(m: EntityManager, row: Record<string, unknown>): Promise<CicloRow> {
    const g = row.datos as Guardado;
    const tipo = tipoCiclo(row.tipo as string)!;
    const pasos = await m.query(`SELECT * FROM ${this.t('workflow_paso')} WHERE workflow_id = $1`, [row.id]);
    const state: CicloState = {
      atascado: row.atascado as boolean,
      tipo: tipo.tipo,
      estado: row.estado as EstadoCiclo,
      datos: g.datos,
      fase: g.fase,
      motivo: g.motivo,
      esperaHasta: g.esperaHasta,
      reincorporar: g.reincorporar,
      avisos: row.avisos as string[],
      error: row.error as string | null,
      pasos: {},
    };
    for (const p of pasos) state.pasos[p.paso] = pasoDeFila(p);
    return {
      id: row.id as string,
      alumnoId: row.alumno_id as string,
      correlationId: row.correlation_id as string,
      createdAt: row.created_at as Date,
      venceAt: (row.vence_at as Date | null) ?? null,
      state,
    };
  }

  async save(m: EntityManager, w: CicloRow, venceAt: Date | null): Promise<void> {
    const s = w.state;
    const guardado: Guardado = {
      datos: s.datos,
      fase: s.fase,
      motivo: s.motivo,
      esperaHasta: s.esperaHasta,
      reincorporar: s.reincorporar,
    };
    await m.query(
      `UPDATE ${this.t('workflow')} SET estado = $2, alumno = $3, upn = $4, avisos = $5, error = $6, vence_at = $7, datos = $8,
         atascado = $10, version = version + 1, updated_at = now(),
         finished_at = CASE WHEN $9 THEN coalesce(finished_at, now()) ELSE NULL END
       WHERE id = $1`,
      [
        w.id,
        s.estado,
        JSON.stringify(s.datos.alumno),
        s.datos.upn,
        JSON.stringify(s.avisos),
        s.error,
        venceAt,
        JSON.stringify(guardado),
        TERMINALES_CICLO.includes(s.estado),
        s.atascado && !TERMINALES_CICLO.includes(s.estado),
      ],
    );
    await guardarPasos(
      m,
      this.t('workflow_paso'),
      w.id,
      pasosDe(tipoCiclo(s.tipo)!).map((def) => [def.paso, s.pasos[def.paso]] as const),
    );
  }
}
