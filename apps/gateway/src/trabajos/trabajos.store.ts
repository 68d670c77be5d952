// The jobs' settings an operator changed (table trabajo), and each job's settings in force: its row over
// its defaults (TRABAJOS). The SIAL job's activa and cron are the runtime configuration's `sincronizacion`,
// and a job without its own zone runs in the configuration's zonaHoraria.
import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@lucy/platform';
import type { Configuracion } from '@lucy/contracts';
import type { GatewayConfig } from '../config.js';
import { TRABAJOS, type DefinicionTrabajo } from './trabajo.registry.js';

interface Consultable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface FilaTrabajo {
  nombre: string;
  activo: boolean | null;
  cron: string | null;
  zonaHoraria: string | null;
  validDesde: string | null;
  validHasta: string | null;
  saltarFeriados: boolean;
  version: number;
  actualizadoPor: string;
  actualizadoAt: string;
}

/** A job's settings in force. */
export interface AjustesTrabajo {
  nombre: string;
  descripcion: string;
  activo: boolean;
  cron: string;
  zonaHoraria: string;
  /** false: the configuration's zonaHoraria, followed when it changes. */
  zonaPropia: boolean;
  validDesde: string | null;
  validHasta: string | null;
  saltarFeriados: boolean;
  /** Where activo and cron are stored: the configuration (sial) or the job's own row. */
  origen: 'configuracion.sincronizacion' | 'trabajo';
  /** The version runs record: the configuration's (sial) or the job row's (0: defaults). */
  version: number;
  /** When these settings took effect (catch-up never replays a time before it); null: never changed. */
  vigenteDesdeAt: string | null;
  actualizadoPor: string | null;
}

@Injectable()
export class TrabajosStore {
  readonly t: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.t = `"${config.DB_SCHEMA}".trabajo`;
  }

  async leer(q: Consultable): Promise<Map<string, FilaTrabajo>> {
    const filas: Record<string, any>[] = await q.query(
      `SELECT nombre, activo, cron, zona_horaria, valido_desde::text AS valido_desde, valido_hasta::text AS valido_hasta,
              saltar_feriados, version, actualizado_por, actualizado_at FROM ${this.t}`,
    );
    return new Map(
      filas.map((r) => [
        r.nombre,
        {
          nombre: r.nombre,
          activo: r.activo,
          cron: r.cron,
          zonaHoraria: r.zona_horaria,
          validDesde: r.valido_desde,
          validHasta: r.valido_hasta,
          saltarFeriados: r.saltar_feriados,
          version: r.version,
          actualizadoPor: r.actualizado_por,
          actualizadoAt: r.actualizado_at.toISOString(),
        },
      ]),
    );
  }

  /** Under a row lock until the transaction ends: two edits of one job do not lose one another. */
  async bloquear(q: Consultable, nombre: string): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.t}:${nombre}`]);
  }

  async guardar(q: Consultable, f: Omit<FilaTrabajo, 'version' | 'actualizadoAt'>): Promise<number> {
    const [fila] = await q.query(
      `INSERT INTO ${this.t} (nombre, activo, cron, zona_horaria, valido_desde, valido_hasta, saltar_feriados, actualizado_por)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (nombre) DO UPDATE SET activo = $2, cron = $3, zona_horaria = $4, valido_desde = $5,
         valido_hasta = $6, saltar_feriados = $7, actualizado_por = $8, actualizado_at = now(),
         version = ${this.t}.version + 1
       RETURNING version`,
      [f.nombre, f.activo, f.cron, f.zonaHoraria, f.validDesde, f.validHasta, f.saltarFeriados, f.actualizadoPor],
    );
    return fila.version;
  }
}

/** A job's settings in force, from its definition, its row (if any) and the configuration version. */
export function ajustesDe(
  d: DefinicionTrabajo,
  fila: FilaTrabajo | undefined,
  config: { version: number; valores: Configuracion; at: string | null },
): AjustesTrabajo {
  const sial = d.nombre === 'sial';
  const s = config.valores.sincronizacion;
  const vigentes = [sial ? config.at : null, fila?.actualizadoAt ?? null].filter((x): x is string => !!x).sort();
  return {
    nombre: d.nombre,
    descripcion: d.descripcion,
    activo: sial ? s.activa : (fila?.activo ?? d.activo),
    cron: sial ? s.cron : (fila?.cron ?? d.cron),
    zonaHoraria: fila?.zonaHoraria ?? config.valores.zonaHoraria,
    zonaPropia: !!fila?.zonaHoraria,
    validDesde: fila?.validDesde ?? null,
    validHasta: fila?.validHasta ?? null,
    saltarFeriados: fila?.saltarFeriados ?? false,
    origen: sial ? 'configuracion.sincronizacion' : 'trabajo',
    version: sial ? config.version : (fila?.version ?? 0),
    vigenteDesdeAt: vigentes.at(-1) ?? null,
    actualizadoPor: fila?.actualizadoPor ?? null,
  };
}

export const todosLosAjustes = (
  filas: Map<string, FilaTrabajo>,
  config: { version: number; valores: Configuracion; at: string | null },
) => TRABAJOS.map((d) => ajustesDe(d, filas.get(d.nombre), config));
