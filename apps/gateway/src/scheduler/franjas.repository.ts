// Every job's runs (table sincronizacion_programada, named after the job it first served): one row per
// scheduled time per job, claimed once across replicas (unique trabajo + programada_para), and one per
// manual run (no scheduled time). Each says how it went and what it made; GET /programacion lists the
// SIAL job's scheduled pulls with the state of their lotes, GET /trabajos/{nombre} any job's history.
import type { DataSource, EntityManager } from 'typeorm';
import { lotes } from '../lotes/estado-lote.js';
import type { Disparo, Producto } from '../trabajos/trabajo.registry.js';

interface Consultable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export type Resultado = 'en_curso' | 'ok' | 'fallido' | 'omitido';

export interface Franja {
  trabajo: string;
  programadaPara: Date | null;
  disparo: Disparo;
  actor: string;
  cron: string;
  zonaHoraria: string;
  /** The configuration version (SIAL) or the job settings' version it ran under. */
  configuracionVersion: number | null;
  replica: string;
}

export interface Ejecucion {
  id: string;
  trabajo: string;
  programadaPara: string | null;
  disparo: Disparo;
  actor: string;
  resultado: Resultado;
  motivo: 'feriado' | 'fuera de vigencia' | null;
  /** The holiday's name, for a run skipped as feriado. */
  feriado: string | null;
  error: string | null;
  producto: Producto | null;
  inicio: string | null;
  fin: string | null;
  cron: string;
  zonaHoraria: string;
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

const ejecucion = (r: Record<string, any>): Ejecucion => ({
  id: r.id,
  trabajo: r.trabajo,
  programadaPara: r.programada_para?.toISOString() ?? null,
  disparo: r.disparo,
  actor: r.actor,
  resultado: r.resultado,
  motivo: r.motivo,
  feriado: r.feriado,
  error: r.error,
  producto: r.producto,
  inicio: r.inicio?.toISOString() ?? null,
  fin: r.fin?.toISOString() ?? null,
  cron: r.cron,
  zonaHoraria: r.zona_horaria,
  replica: r.replica,
});

export class FranjasRepository {
  private readonly s: string;
  private readonly t: string;

  constructor(schema: string) {
    this.s = `"${schema}"`;
    this.t = `${this.s}.sincronizacion_programada`;
  }

  /**
   * Claims `f` in `m`'s transaction: its id, or undefined when another replica has it. While another
   * replica's claim of the same scheduled time is uncommitted, PostgreSQL holds this insert until that one
   * commits (then nothing is inserted) or rolls back (then this one goes through): never two, never none.
   * A manual run (no scheduled time) never conflicts. Claimed as `ok` with what the run made (in the
   * transaction that made it) or as `fallido`, the row is the run's whole record.
   */
  async reclamar(
    m: Consultable,
    f: Franja,
    como:
      | { resultado: 'en_curso' }
      | { resultado: 'ok'; producto: Producto }
      | { resultado: 'fallido'; error: string }
      | { resultado: 'omitido'; motivo: 'feriado' | 'fuera de vigencia'; feriado: string | null },
  ): Promise<string | undefined> {
    const producto = como.resultado === 'ok' ? como.producto : null;
    const [fila] = await m.query(
      `INSERT INTO ${this.t} (trabajo, programada_para, disparo, actor, recuperada, cron, zona_horaria,
                              configuracion_version, replica, resultado, motivo, feriado, producto, lote_id, error,
                              inicio, fin)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
               now(), CASE WHEN $10::text = 'en_curso' THEN NULL ELSE now() END)
       ON CONFLICT (trabajo, programada_para) DO NOTHING RETURNING id`,
      [
        f.trabajo,
        f.programadaPara,
        f.disparo,
        f.actor,
        f.disparo === 'recuperacion',
        f.cron,
        f.zonaHoraria,
        f.configuracionVersion,
        f.replica,
        como.resultado,
        como.resultado === 'omitido' ? como.motivo : null,
        como.resultado === 'omitido' ? como.feriado : null,
        producto ? JSON.stringify(producto) : null,
        producto?.tipo === 'lote' ? producto.id : null,
        como.resultado === 'fallido' ? como.error.slice(0, 2000) : null,
      ],
    );
    return fila?.id;
  }

  /** How run `id` ended: what it made, or its error. */
  async terminar(
    m: Consultable,
    id: string,
    fin: { resultado: 'ok'; producto: Producto } | { resultado: 'fallido'; error: string },
  ): Promise<void> {
    const producto = fin.resultado === 'ok' ? fin.producto : null;
    await m.query(
      `UPDATE ${this.t} SET resultado = $2, producto = $3, error = $4, fin = now(),
              lote_id = CASE WHEN $5::text = 'lote' THEN $6::uuid ELSE lote_id END
        WHERE id = $1`,
      [
        id,
        fin.resultado,
        producto ? JSON.stringify(producto) : null,
        fin.resultado === 'fallido' ? fin.error.slice(0, 2000) : null,
        producto?.tipo ?? null,
        producto?.tipo === 'lote' ? producto.id : null,
      ],
    );
  }

  async reclamada(db: Consultable, trabajo: string, franja: Date): Promise<boolean> {
    const [fila] = await db.query(`SELECT 1 FROM ${this.t} WHERE trabajo = $1 AND programada_para = $2`, [
      trabajo,
      franja,
    ]);
    return !!fila;
  }

  /** A page of `trabajo`'s runs, newest first, with the total. */
  async historial(db: Consultable, trabajo: string, limit: number, offset: number) {
    const [{ total }] = await db.query(`SELECT count(*)::int AS total FROM ${this.t} WHERE trabajo = $1`, [trabajo]);
    const filas = await db.query(
      `SELECT * FROM ${this.t} WHERE trabajo = $1
        ORDER BY coalesce(programada_para, inicio, created_at) DESC, created_at DESC LIMIT $2 OFFSET $3`,
      [trabajo, limit, offset],
    );
    return { total: total as number, items: (filas as Record<string, any>[]).map(ejecucion) };
  }

  /** Each job's newest run. */
  async ultimaDeCada(db: Consultable): Promise<Map<string, Ejecucion>> {
    const filas: Record<string, any>[] = await db.query(
      `SELECT DISTINCT ON (trabajo) * FROM ${this.t}
        ORDER BY trabajo, coalesce(programada_para, inicio, created_at) DESC, created_at DESC`,
    );
    return new Map(filas.map((r) => [r.trabajo, ejecucion(r)]));
  }

  /** The SIAL job's last scheduled pulls and their lotes (GET /programacion). */
  async ultimas(db: DataSource | EntityManager, limite: number): Promise<FranjaEjecutada[]> {
    const filas: Record<string, any>[] = await db.query(
      `SELECT f.*, l.estado AS lote_estado, l.total AS lote_total, l.error AS lote_error
         FROM ${this.t} f JOIN ${lotes(this.s)} l ON l.id = f.lote_id
        WHERE f.trabajo = 'sial' AND f.programada_para IS NOT NULL
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
