// The slots of the scheduled pull (table sincronizacion_programada): claimed once across replicas,
// listed for GET /programacion with the state of the lote each one started.
import type { DataSource, EntityManager } from 'typeorm';
import { lotes } from '../lotes/estado-lote.js';

export interface Franja {
  programadaPara: Date;
  cron: string;
  zonaHoraria: string;
  configuracionVersion: number;
  recuperada: boolean;
  replica: string;
}

export interface FranjaEjecutada {
  programadaPara: string;
  loteId: string;
  recuperada: boolean;
  replica: string;
  cron: string;
  zonaHoraria: string;
  configuracionVersion: number;
  loteEstado: string;
  loteTotal: number | null;
  loteError: string | null;
}

/** Another replica pulled this slot (or is pulling it): this one does nothing. */
export class FranjaTomada extends Error {
  constructor(readonly franja: Date) {
    super(`slot ${franja.toISOString()} already claimed`);
  }
}

export class FranjasRepository {
  private readonly s: string;
  private readonly t: string;

  constructor(schema: string) {
    this.s = `"${schema}"`;
    this.t = `${this.s}.sincronizacion_programada`;
  }

  /**
   * Claims `f` for the lote being recorded in `m`'s transaction, or throws FranjaTomada. While another
   * replica's claim of the same slot is uncommitted, PostgreSQL holds this insert until that one commits
   * (then nothing is inserted) or rolls back (then this one goes through): never two, never none.
   */
  async reclamar(m: EntityManager, f: Franja, loteId: string): Promise<void> {
    const filas: unknown[] = await m.query(
      `INSERT INTO ${this.t} (programada_para, lote_id, cron, zona_horaria, configuracion_version, recuperada, replica)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (programada_para) DO NOTHING RETURNING programada_para`,
      [f.programadaPara, loteId, f.cron, f.zonaHoraria, f.configuracionVersion, f.recuperada, f.replica],
    );
    if (!filas.length) throw new FranjaTomada(f.programadaPara);
  }

  async reclamada(db: DataSource, franja: Date): Promise<boolean> {
    const [fila] = await db.query(`SELECT 1 FROM ${this.t} WHERE programada_para = $1`, [franja]);
    return !!fila;
  }

  async ultimas(db: DataSource, limite: number): Promise<FranjaEjecutada[]> {
    const filas: Record<string, any>[] = await db.query(
      `SELECT f.*, l.estado AS lote_estado, l.total AS lote_total, l.error AS lote_error
         FROM ${this.t} f JOIN ${lotes(this.s)} l ON l.id = f.lote_id
        ORDER BY f.programada_para DESC LIMIT $1`,
      [limite],
    );
    return filas.map((r) => ({
      programadaPara: r.programada_para.toISOString(),
      loteId: r.lote_id,
      recuperada: r.recuperada,
      replica: r.replica,
      cron: r.cron,
      zonaHoraria: r.zona_horaria,
      configuracionVersion: r.configuracion_version,
      loteEstado: r.lote_estado,
      loteTotal: r.lote_total,
      loteError: r.lote_error,
    }));
  }
}
