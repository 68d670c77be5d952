// The items of a lote's plan (lote_plan), as ingest-service sends them in parts: kept once each, read
// paged and counted per result. The plan's summary and the operator's decision live on the lote row
// (LoteRepository).
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ItemPlan, ResultadoPlan } from '@lucy/contracts';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { likePattern } from '../api/schemas.js';

export interface FiltroItems {
  /** ingest-service's result for the item (nuevo, actualizado…). */
  resultado?: ResultadoPlan;
  /** Text searched in the DNI and the names. */
  q?: string;
}

@Injectable()
export class PlanRepository {
  private readonly s: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  /** A part of the plan's items: kept once, whatever the order the parts arrive in. */
  async guardarParte(m: EntityManager, loteId: string, items: ItemPlan[]): Promise<void> {
    await m.query(
      `INSERT INTO ${this.s}.lote_plan (lote_id, orden, resultado, dni, item)
       SELECT $1, (j->>'orden')::int, j->>'resultado', j->>'dni', j FROM jsonb_array_elements($2::jsonb) AS x(j)
       ON CONFLICT DO NOTHING`,
      [loteId, JSON.stringify(items)],
    );
  }

  /** One page of the lote's items that match, in the plan's order, and how many match in all. */
  async pagina(
    m: EntityManager,
    loteId: string,
    f: FiltroItems,
    limit: number,
    offset: number,
  ): Promise<{ total: number; items: ItemPlan[] }> {
    const where = ['lote_id = $1'];
    const params: unknown[] = [loteId];
    if (f.resultado) {
      params.push(f.resultado);
      where.push(`resultado = $${params.length}`);
    }
    if (f.q) {
      params.push(likePattern(f.q));
      const p = `$${params.length}`;
      where.push(
        `(dni ILIKE ${p} OR item->'alumno'->>'nombre' ILIKE ${p} OR item->'alumno'->>'apellido' ILIKE ${p} OR item->'anterior'->>'apellido' ILIKE ${p})`,
      );
    }
    const sql = `FROM ${this.s}.lote_plan WHERE ${where.join(' AND ')}`;
    const [{ total }] = await m.query(`SELECT count(*)::int AS total ${sql}`, params);
    const rows: { item: ItemPlan }[] = await m.query(
      `SELECT item ${sql} ORDER BY orden LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return { total, items: rows.map((r) => r.item) };
  }

  /** How many of the lote's items have each result, and how many change a student's courses. */
  async resumen(
    m: EntityManager,
    loteId: string,
  ): Promise<{ porResultado: { resultado: ResultadoPlan; n: number }[]; cursos: number }> {
    const porResultado = await m.query(
      `SELECT resultado, count(*)::int AS n FROM ${this.s}.lote_plan WHERE lote_id = $1 GROUP BY 1`,
      [loteId],
    );
    const [{ cursos }] = await m.query(
      `SELECT count(*)::int AS cursos FROM ${this.s}.lote_plan
        WHERE lote_id = $1 AND (resultado = 'nuevo' OR (resultado = 'actualizado' AND item->'cambios' ?| array['estado', 'periodo']))`,
      [loteId],
    );
    return { porResultado, cursos };
  }
}
