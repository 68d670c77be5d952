// Reads and writes the applied version (runtime-config.migration.ts). Every replica of the service
// reads the same row, so the one that consumed ConfiguracionCambiada speaks for all of them.
import type { ConfiguracionCambiada } from '@lucy/contracts';
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

  async load(db: Sql): Promise<StoredConfig | null> {
    const [row] = await db.query(`SELECT version, valores, fijadas, cambiado_por, applied_at FROM ${this.table} WHERE id = 1`);
    return row ? { version: row.version, valores: row.valores, fijadas: row.fijadas, cambiadoPor: row.cambiado_por, appliedAt: new Date(row.applied_at).toISOString() } : null;
  }

  /**
   * Stores the event's version unless a newer one is stored already (events may arrive out of order:
   * a retried one after the next). True when it was stored.
   */
  async save(db: Sql, evento: ConfiguracionCambiada): Promise<boolean> {
    // Older publishers do not say which keys were set: then all of them were.
    const fijadas = evento.fijadas ?? Object.keys(evento.valores);
    const rows = await db.query(
      `INSERT INTO ${this.table} AS t (id, version, valores, fijadas, cambiado_por) VALUES (1, $1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, valores = EXCLUDED.valores, fijadas = EXCLUDED.fijadas,
         cambiado_por = EXCLUDED.cambiado_por, applied_at = now()
       WHERE t.version < EXCLUDED.version
       RETURNING version`,
      [evento.version, JSON.stringify(evento.valores), JSON.stringify(fijadas), evento.cambiadoPor],
    );
    return rows.length > 0;
  }
}
