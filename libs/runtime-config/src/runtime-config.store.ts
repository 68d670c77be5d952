// Reads and writes the applied version (runtime-config.migration.ts). Every replica of the service
// reads the same row, so the one that consumed ConfiguracionCambiada speaks for all of them.
import type { StoredConfig } from './runtime-config.js';

/** A DataSource or a transaction's EntityManager. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export class RuntimeConfigStore {
  private readonly table: string;

  constructor(schema: string) {
    this.table = `"${schema.replaceAll('"', '""')}".configuracion_aplicada`;
  }

  /** The stored version; `lock` holds the row until the transaction ends (the handler decides on it). */
  async load(db: Sql, opts: { lock?: boolean } = {}): Promise<StoredConfig | null> {
    const [row] = await db.query(
      `SELECT version, valores, fijadas, rechazadas, cambiado_por, applied_at FROM ${this.table} WHERE id = 1${opts.lock ? ' FOR UPDATE' : ''}`,
    );
    return row
      ? {
          version: row.version,
          valores: row.valores,
          fijadas: row.fijadas,
          rechazadas: row.rechazadas,
          cambiadoPor: row.cambiado_por,
          appliedAt: new Date(row.applied_at).toISOString(),
        }
      : null;
  }

  /**
   * Stores a version unless a newer one is stored already (events may arrive out of order: a retried
   * one after the next). True when it was stored.
   */
  async save(db: Sql, v: Omit<StoredConfig, 'appliedAt'>): Promise<boolean> {
    const rows = await db.query(
      `INSERT INTO ${this.table} AS t (id, version, valores, fijadas, rechazadas, cambiado_por) VALUES (1, $1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, valores = EXCLUDED.valores, fijadas = EXCLUDED.fijadas,
         rechazadas = EXCLUDED.rechazadas, cambiado_por = EXCLUDED.cambiado_por, applied_at = now()
       WHERE t.version < EXCLUDED.version
       RETURNING version`,
      [
        v.version,
        JSON.stringify(v.valores),
        JSON.stringify(v.fijadas),
        JSON.stringify(v.rechazadas ?? {}),
        v.cambiadoPor,
      ],
    );
    return rows.length > 0;
  }
}
