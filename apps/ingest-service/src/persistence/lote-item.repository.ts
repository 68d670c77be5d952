// The items of a lote and their place in the release window (pending → released → done). Every change
// of an item's release state happens while its lote's row is locked (LoteRepository.bloquear).
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlumnoDatos } from '@lucy/contracts';
import type { ReleaseState, ResultadoItem } from './lote-item.entity.js';
import { qualifiedTable } from './qualified-table.js';

export interface ItemNuevo {
  fila: number | null;
  fuente: string;
  dni: string | null;
  alumnoId: string | null;
  resultado: ResultadoItem;
  cambios: string[] | null;
  motivo?: string | null;
  anterior?: AlumnoDatos | null;
  /** `done` for what went out as the lote was registered (bajas, retornos); `held` for a new student awaiting approval. */
  releaseState: ReleaseState | null;
}

export interface ItemPorLiberar {
  id: string;
  alumnoId: string;
  resultado: 'nuevo' | 'actualizado';
  cambios: string[] | null;
  anterior: AlumnoDatos | null;
}

@Injectable()
export class LoteItemRepository {
  /** In the given order: the items' ids keep it, and the window releases by id. */
  async insertar(m: EntityManager, loteId: string, items: readonly ItemNuevo[]): Promise<void> {
    if (items.length === 0) return;
    await m.query(
      `INSERT INTO ${qualifiedTable(m, 'lote_item')} (lote_id, fila, fuente, dni, alumno_id, resultado, cambios, motivo, anterior, release_state, released_at, done_at)
       SELECT $1, (j->>'fila')::int, j->>'fuente', j->>'dni', (j->>'alumnoId')::uuid, j->>'resultado', NULLIF(j->'cambios', 'null'::jsonb),
              j->>'motivo', NULLIF(j->'anterior', 'null'::jsonb), j->>'releaseState',
              CASE WHEN j->>'releaseState' = 'done' THEN now() END, CASE WHEN j->>'releaseState' = 'done' THEN now() END
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(j, n)
       ORDER BY n`,
      [loteId, JSON.stringify(items)],
    );
  }

  /** Released items awaiting their reply, with the database's clock (one clock for every replica). */
  async enVuelo(m: EntityManager, loteId: string): Promise<{ items: { id: string; liberadoEn: Date }[]; ahora: Date }> {
    const [{ ahora }] = await m.query(`SELECT now() AS ahora`);
    const items = await m.query(
      `SELECT id, released_at AS "liberadoEn" FROM ${qualifiedTable(m, 'lote_item')} WHERE lote_id = $1 AND release_state = 'released'`,
      [loteId],
    );
    return { items, ahora };
  }

  /** The next pending items after `despuesDe`, in lote order; rows another transaction holds are skipped. */
  async pendientes(m: EntityManager, loteId: string, despuesDe: string, limite: number): Promise<ItemPorLiberar[]> {
    return m.query(
      `SELECT id, alumno_id AS "alumnoId", resultado, cambios, anterior FROM ${qualifiedTable(m, 'lote_item')}
       WHERE lote_id = $1 AND release_state = 'pending' AND id > $2
       ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [loteId, despuesDe, limite],
    );
  }

  async hayPendientes(m: EntityManager, loteId: string): Promise<boolean> {
    const rows = await m.query(
      `SELECT 1 FROM ${qualifiedTable(m, 'lote_item')} WHERE lote_id = $1 AND release_state = 'pending' LIMIT 1`,
      [loteId],
    );
    return rows.length > 0;
  }

  async marcarLiberados(m: EntityManager, esperan: readonly string[], terminados: readonly string[]): Promise<void> {
    if (esperan.length) {
      await m.query(
        `UPDATE ${qualifiedTable(m, 'lote_item')} SET release_state = 'released', released_at = now() WHERE id = ANY($1::bigint[])`,
        [esperan],
      );
    }
    if (terminados.length) {
      await m.query(
        `UPDATE ${qualifiedTable(m, 'lote_item')} SET release_state = 'done', released_at = now(), done_at = now() WHERE id = ANY($1::bigint[])`,
        [terminados],
      );
    }
  }

  async vencer(m: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query(
      `UPDATE ${qualifiedTable(m, 'lote_item')} SET release_state = 'done', done_at = now(), timed_out = true WHERE id = ANY($1::bigint[]) AND release_state = 'released'`,
      [ids],
    );
  }

  /** The lotes in which this student's event is out and its reply awaited (usually one). */
  async lotesQueEsperanA(m: EntityManager, alumnoId: string): Promise<string[]> {
    const rows = await m.query(
      `SELECT DISTINCT lote_id FROM ${qualifiedTable(m, 'lote_item')} WHERE alumno_id = $1 AND release_state = 'released' ORDER BY lote_id`,
      [alumnoId],
    );
    return rows.map((r: { lote_id: string }) => r.lote_id);
  }

  /** The student's reply arrived: their item is done. How many items it finished (0 if already done). */
  async terminarDeAlumno(m: EntityManager, loteId: string, alumnoId: string): Promise<number> {
    const rows = await m.query(
      `UPDATE ${qualifiedTable(m, 'lote_item')} SET release_state = 'done', done_at = now()
       WHERE lote_id = $1 AND alumno_id = $2 AND release_state = 'released' RETURNING id`,
      [loteId, alumnoId],
    );
    // TypeORM's postgres driver returns [rows, count] for UPDATE ... RETURNING.
    return Array.isArray(rows[0]) ? rows[0].length : rows.length;
  }

  /** Of these students, those held for approval (a new student's item not yet approved), each with the lote that holds them. */
  async retenidos(m: EntityManager, alumnoIds: readonly string[]): Promise<Map<string, string>> {
    if (alumnoIds.length === 0) return new Map();
    const rows: { alumno_id: string; lote_id: string }[] = await m.query(
      `SELECT DISTINCT ON (alumno_id) alumno_id, lote_id FROM ${qualifiedTable(m, 'lote_item')}
       WHERE alumno_id = ANY($1::uuid[]) AND release_state = 'held' ORDER BY alumno_id, id`,
      [alumnoIds],
    );
    return new Map(rows.map((r) => [r.alumno_id, r.lote_id]));
  }

  /** The lotes that hold this student for approval (usually one). */
  async lotesQueRetienenA(m: EntityManager, alumnoId: string): Promise<string[]> {
    const rows = await m.query(
      `SELECT DISTINCT lote_id FROM ${qualifiedTable(m, 'lote_item')} WHERE alumno_id = $1 AND release_state = 'held' ORDER BY lote_id`,
      [alumnoId],
    );
    return rows.map((r: { lote_id: string }) => r.lote_id);
  }

  /**
   * The student's held items in this lote leave the hold: to the window (`pending`), or, for a student who
   * left meanwhile, done without ever being released. How many moved (0: already approved).
   */
  async soltar(m: EntityManager, loteId: string, alumnoId: string, a: 'pending' | 'done'): Promise<number> {
    const rows = await m.query(
      `UPDATE ${qualifiedTable(m, 'lote_item')} SET release_state = $3, done_at = CASE WHEN $3 = 'done' THEN now() END
       WHERE lote_id = $1 AND alumno_id = $2 AND release_state = 'held' RETURNING id`,
      [loteId, alumnoId, a],
    );
    return Array.isArray(rows[0]) ? rows[0].length : rows.length;
  }

  /** The students a lote set in motion (created or updated), in lote order. */
  async alumnosEnMarcha(m: EntityManager, loteId: string): Promise<string[]> {
    const rows = await m.query(
      `SELECT alumno_id FROM ${qualifiedTable(m, 'lote_item')} WHERE lote_id = $1 AND resultado IN ('nuevo', 'actualizado') ORDER BY id`,
      [loteId],
    );
    return rows.map((r: { alumno_id: string }) => r.alumno_id);
  }
}
