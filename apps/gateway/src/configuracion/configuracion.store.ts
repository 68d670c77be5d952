// The gateway's `configuracion` table: one row per version, never changed once written, with the keys an
// operator has set as of it (`fijadas`). Rows store them since they can be given back (DELETE
// /config/fijadas/{clave}) and set without a new value; a row without them (written before, or by hand)
// has the previous row's plus its own `cambios` (fijadas.ts: fijadasEnCadena). The one place that reads
// the table, so that rule is applied everywhere.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Configuracion } from '@lucy/contracts';
import { InjectConfig } from '@lucy/platform';
import { z } from 'zod';
import type { GatewayConfig } from '../config.js';
import { diferencia, fijadasEnCadena } from './fijadas.js';

/** A DataSource or an EntityManager (inside a transaction). */
interface Consultable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface FilaConfiguracion {
  version: number;
  valores: Configuracion;
  cambios: string[];
  cambiado_por: string;
  motivo: string | null;
  created_at: Date;
  fijadas: string[];
}

/** A row of the history, with what it did to the keys set. */
export interface FilaHistorial extends Omit<FilaConfiguracion, 'valores'> {
  fijadasNuevas: string[];
  soltadas: string[];
}

@Injectable()
export class ConfiguracionStore {
  readonly t: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.t = `"${config.DB_SCHEMA}".configuracion`;
  }

  /** How many versions are stored. */
  async contar(q: Consultable): Promise<number> {
    const [{ total }] = await q.query(`SELECT count(*)::int AS total FROM ${this.t}`);
    return total;
  }

  /** One change (or announcement) at a time, across replicas, until the transaction ends. */
  bloquear(m: EntityManager): Promise<unknown> {
    return m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [this.t]);
  }

  /** Version `n`, or the newest when `n` is undefined; undefined when there is none. */
  async leer(q: Consultable, n?: number): Promise<FilaConfiguracion | undefined> {
    const hasta = n === undefined ? `(SELECT max(version) FROM ${this.t})` : '$1';
    // The row and those back to the newest one that stores its keys (itself, once rows store them).
    const filas: (Omit<FilaConfiguracion, 'fijadas'> & { fijadas: unknown })[] = await q.query(
      `SELECT version, valores, cambios, cambiado_por, motivo, created_at, fijadas FROM ${this.t}
        WHERE version <= ${hasta}
          AND version >= coalesce((SELECT max(version) FROM ${this.t} WHERE version <= ${hasta} AND jsonb_typeof(fijadas) = 'array'), 0)
        ORDER BY version`,
      n === undefined ? [] : [n],
    );
    const fila = filas.at(-1);
    if (!fila || (n !== undefined && fila.version !== n)) return undefined;
    return { ...fila, valores: conClavesNuevas(fila.valores), fijadas: fijadasEnCadena(filas.map(guardadas)).at(-1)! };
  }

  /** A page of versions, newest first, each with the keys it set and gave back. */
  async historial(q: Consultable, limit: number, offset: number): Promise<FilaHistorial[]> {
    // One more than the page: the version before its oldest, whose keys set the page starts from.
    const filas = await q.query(
      `SELECT version, cambios, cambiado_por, motivo, created_at, fijadas FROM ${this.t} ORDER BY version DESC LIMIT $1 OFFSET $2`,
      [limit + 1, offset],
    );
    const pagina: (Omit<FilaHistorial, 'fijadas' | 'fijadasNuevas' | 'soltadas'> & { fijadas: unknown })[] = filas
      .slice(0, limit)
      .reverse();
    const previa = filas[limit];
    const antes = previa ? ((await this.leer(q, previa.version))?.fijadas ?? []) : [];
    const cadena = fijadasEnCadena(pagina.map(guardadas), antes);
    return pagina
      .map((f, i) => ({ ...f, fijadas: cadena[i]!, ...diferencia(i ? cadena[i - 1]! : antes, cadena[i]!) }))
      .reverse();
  }

  /** Writes a new version (under the caller's lock: its number is the next one). */
  async insertar(
    q: Consultable,
    v: {
      version: number;
      valores: Configuracion;
      cambios: string[];
      fijadas: string[];
      cambiadoPor: string;
      motivo: string | null;
    },
  ): Promise<FilaConfiguracion> {
    const [fila] = await q.query(
      `INSERT INTO ${this.t} (version, valores, cambios, fijadas, cambiado_por, motivo) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        v.version,
        JSON.stringify(v.valores),
        JSON.stringify(v.cambios),
        JSON.stringify(v.fijadas),
        v.cambiadoPor,
        v.motivo,
      ],
    );
    return fila;
  }

  /** The newest version's number, 0 when nothing is stored. */
  async versionActual(q: Consultable): Promise<number> {
    const [{ version }] = await q.query(`SELECT coalesce(max(version), 0)::int AS version FROM ${this.t}`);
    return version;
  }
}

/** A row's stored keys set, or null when it does not store them (a JSON null or anything but a list). */
const guardadas = (f: { cambios: string[]; fijadas: unknown }) => ({
  cambios: Array.isArray(f.cambios) ? f.cambios : [],
  fijadas: Array.isArray(f.fijadas) ? (f.fijadas as string[]) : null,
});

/**
 * A row written before a key with a default existed (ausenciasParaBaja, cursosAnteriores, sincronizacion)
 * lacks it: the contract's default stands in, as it does for a message that lacks it. So the next change
 * does not count it as changed — which would set it, in force over a service's environment, unasked.
 */
export function conClavesNuevas(valores: Configuracion): Configuracion {
  const completos: Record<string, unknown> = { ...valores };
  for (const [clave, esquema] of Object.entries(Configuracion.shape))
    if (completos[clave] === undefined && esquema instanceof z.ZodDefault) completos[clave] = esquema.parse(undefined);
  return completos as Configuracion;
}
