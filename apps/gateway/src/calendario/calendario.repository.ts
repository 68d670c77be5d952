// The academic calendar's table (calendario_periodo): holidays and non-working periods, both ends
// included. Dates travel as YYYY-MM-DD text (node-pg would read a date as a Date at local midnight).
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { PeriodoNoLaborable } from '../trabajos/agenda.js';

interface Consultable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface Periodo extends PeriodoNoLaborable {
  id: string;
  creadoPor: string;
  createdAt: string;
  updatedAt: string;
}

const COLUMNAS = `id, desde::text AS desde, hasta::text AS hasta, nombre, tipo, creado_por, created_at, updated_at`;

const periodo = (r: Record<string, any>): Periodo => ({
  id: r.id,
  desde: r.desde,
  hasta: r.hasta,
  nombre: r.nombre,
  tipo: r.tipo,
  creadoPor: r.creado_por,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

@Injectable()
export class CalendarioRepository {
  readonly t: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.t = `"${config.DB_SCHEMA}".calendario_periodo`;
  }

  /** The periods that touch year `anio` (or all), by start date. */
  async listar(q: Consultable, anio?: number): Promise<Periodo[]> {
    const filas = await q.query(
      anio === undefined
        ? `SELECT ${COLUMNAS} FROM ${this.t} ORDER BY desde, hasta, nombre`
        : `SELECT ${COLUMNAS} FROM ${this.t}
            WHERE desde <= make_date($1, 12, 31) AND hasta >= make_date($1, 1, 1) ORDER BY desde, hasta, nombre`,
      anio === undefined ? [] : [anio],
    );
    return filas.map(periodo);
  }

  /** The periods that overlap [desde, hasta]: what the scheduler checks its runs against. */
  async entre(q: Consultable, desde: string, hasta: string): Promise<PeriodoNoLaborable[]> {
    const filas = await q.query(
      `SELECT desde::text AS desde, hasta::text AS hasta, nombre, tipo FROM ${this.t}
        WHERE desde <= $2::date AND hasta >= $1::date ORDER BY desde`,
      [desde, hasta],
    );
    return filas;
  }

  async uno(q: Consultable, id: string): Promise<Periodo | undefined> {
    const [fila] = await q.query(`SELECT ${COLUMNAS} FROM ${this.t} WHERE id = $1`, [id]);
    return fila ? periodo(fila) : undefined;
  }

  async insertar(m: EntityManager, p: PeriodoNoLaborable, actor: string): Promise<Periodo> {
    const [fila] = await m.query(
      `INSERT INTO ${this.t} (desde, hasta, nombre, tipo, creado_por) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNAS}`,
      [p.desde, p.hasta, p.nombre, p.tipo, actor],
    );
    return periodo(fila);
  }

  /** Whether the same period (dates and name) is already there: an import run twice adds nothing. */
  async existe(m: EntityManager, p: PeriodoNoLaborable): Promise<boolean> {
    const [fila] = await m.query(`SELECT 1 FROM ${this.t} WHERE desde = $1 AND hasta = $2 AND nombre = $3`, [
      p.desde,
      p.hasta,
      p.nombre,
    ]);
    return !!fila;
  }

  async actualizar(m: EntityManager, id: string, p: PeriodoNoLaborable): Promise<Periodo | undefined> {
    // TypeORM answers an UPDATE or DELETE with [rows, count].
    const [[fila]] = await m.query(
      `UPDATE ${this.t} SET desde = $2, hasta = $3, nombre = $4, tipo = $5, updated_at = now() WHERE id = $1 RETURNING ${COLUMNAS}`,
      [id, p.desde, p.hasta, p.nombre, p.tipo],
    );
    return fila ? periodo(fila) : undefined;
  }

  async borrar(m: EntityManager, id: string): Promise<Periodo | undefined> {
    const [[fila]] = await m.query(`DELETE FROM ${this.t} WHERE id = $1 RETURNING ${COLUMNAS}`, [id]);
    return fila ? periodo(fila) : undefined;
  }
}
