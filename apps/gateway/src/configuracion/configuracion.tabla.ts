// The gateway's `configuracion` table as it is read: one row per version, and the keys an operator has
// set up to a version (`fijadas`: the union of every version's `cambios` up to it). Computed on read
// rather than stored: versions never change once written, a site has tens of them, and a stored copy
// would be one more thing a migration or a hand-made row could get wrong.
import { Configuracion } from '@lucy/contracts';

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

const ORDEN = Object.keys(Configuracion.shape);

/** Keys in the configuration's own order (a stable answer), any unknown one after them. */
export function ordenarClaves(claves: Iterable<string>): string[] {
  const todas = new Set(claves);
  return [...ORDEN.filter((k) => todas.has(k)), ...[...todas].filter((k) => !ORDEN.includes(k)).sort()];
}

export class TablaConfiguracion {
  readonly t: string;

  constructor(schema: string) {
    this.t = `"${schema}".configuracion`;
  }

  /** Version `n`, or the newest when `n` is undefined; undefined when there is none. */
  async leer(q: Consultable, n?: number): Promise<FilaConfiguracion | undefined> {
    // Rows up to a committed version never change (versions are numbered under a lock), so the union is
    // the same whenever it is read.
    const [row] = await q.query(
      `SELECT c.*, (SELECT coalesce(array_agg(DISTINCT k), '{}') FROM ${this.t} x, jsonb_array_elements_text(x.cambios) k WHERE x.version <= c.version) AS fijadas
         FROM ${this.t} c ${n === undefined ? '' : 'WHERE c.version = $1'} ORDER BY c.version DESC LIMIT 1`,
      n === undefined ? [] : [n],
    );
    return row ? { ...row, fijadas: ordenarClaves(row.fijadas) } : undefined;
  }

  /** The newest version's number, 0 when nothing is stored. */
  async versionActual(q: Consultable): Promise<number> {
    const [{ version }] = await q.query(`SELECT coalesce(max(version), 0)::int AS version FROM ${this.t}`);
    return version;
  }
}
