// The student list: one row per student the gateway knows (alumno-filtro.ts alumnosConocidos), filtered and paged.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { Page } from '../api/schemas.js';
import { alumnosConocidos, alumnosWhere, type AlumnoFiltro } from './alumno-filtro.js';

export interface AlumnoResumen {
  alumnoId: string;
  dni: string | null;
  nombre: string | null;
  apellido: string | null;
  emailPersonal: string | null;
  emailInstitucional: string | null;
  carrera: string | null;
  estado: string | null;
  periodo: string | null;
  upn: string | null;
  loteId: string | null;
  workflow: { estado: string; atascado: boolean; avisos: string[]; error: string | null };
  creadoAt: string;
  actualizadoAt: string;
}

@Injectable()
export class AlumnosQueries {
  private readonly schema: string;

  constructor(
    @InjectConfig() config: GatewayConfig,
    private readonly db: DataSource,
  ) {
    this.schema = config.DB_SCHEMA;
  }

  async listar(f: AlumnoFiltro, limit: number, offset: number): Promise<Page<AlumnoResumen>> {
    const w = alumnosWhere(f, this.schema);
    const from = `FROM ${alumnosConocidos(this.schema)} w ${w.sql}`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total ${from}`, w.params);
    const rows = await this.db.query(
      `SELECT w.* ${from} ORDER BY w.created_at DESC, w.id LIMIT ${w.param(limit)} OFFSET ${w.param(offset)}`,
      w.params,
    );
    return { total, limit, offset, items: rows.map(resumen) };
  }

  /** The ids a filter selects, up to `max` (+1, so the caller can tell there were more). */
  async ids(f: AlumnoFiltro, max: number): Promise<string[]> {
    const w = alumnosWhere(f, this.schema);
    const rows = await this.db.query(
      `SELECT w.alumno_id FROM ${alumnosConocidos(this.schema)} w ${w.sql} ORDER BY w.created_at, w.id LIMIT ${w.param(max + 1)}`,
      w.params,
    );
    return rows.map((r: { alumno_id: string }) => r.alumno_id);
  }
}

function resumen(w: Record<string, any>): AlumnoResumen {
  const a = w.alumno ?? {};
  return {
    alumnoId: w.alumno_id,
    dni: a.dni ?? null,
    nombre: a.nombre ?? null,
    apellido: a.apellido ?? null,
    emailPersonal: a.emailPersonal ?? null,
    emailInstitucional: a.emailInstitucional ?? null,
    carrera: a.carrera ?? null,
    estado: a.estado ?? null,
    periodo: a.periodo ?? null,
    upn: w.upn,
    loteId: w.lote_id,
    workflow: { estado: w.estado, atascado: w.atascado, avisos: w.avisos, error: w.error },
    creadoAt: w.created_at.toISOString(),
    actualizadoAt: w.updated_at.toISOString(),
  };
}
