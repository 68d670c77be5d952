// The plans kept for an operator: one row per lote, its items (domain/plan.ts ItemDelPlan, in order) as
// `plan_item` rows written in one query, as a lote's items are.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Retencion } from '@lucy/contracts';
import type { ItemDelPlan, Plan } from '../domain/plan.js';
import type { LoteNuevo } from './lote.repository.js';
import type { EstadoPlan } from './plan.entity.js';
import { qualifiedTable } from './qualified-table.js';

export interface PlanGuardado {
  lote: LoteNuevo;
  estado: EstadoPlan;
  simulado: boolean;
  activos: number;
  retencion: Retencion | null;
  plan: Plan;
}

@Injectable()
export class PlanRepository {
  /** False when a plan for this lote exists already (another delivery kept it meanwhile): write nothing more. */
  async guardar(m: EntityManager, g: PlanGuardado): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO ${qualifiedTable(m, 'plan')} (lote_id, origen, descripcion, correlation_id, estado, simulado, conteos, activos, en_espera, retencion, pase)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10::jsonb, $11::jsonb)
       ON CONFLICT (lote_id) DO NOTHING RETURNING lote_id`,
      [
        g.lote.id,
        g.lote.origen,
        g.lote.descripcion,
        g.lote.correlationId,
        g.estado,
        g.simulado,
        JSON.stringify(g.plan.conteos),
        g.activos,
        g.plan.enEspera,
        g.retencion ? JSON.stringify(g.retencion) : null,
        JSON.stringify(g.plan.pase),
      ],
    );
    if (rows.length === 0) return false;
    if (g.plan.items.length)
      await m.query(
        `INSERT INTO ${qualifiedTable(m, 'plan_item')} (lote_id, orden, item)
         SELECT $1, (j->>'orden')::int, j FROM jsonb_array_elements($2::jsonb) AS x(j)`,
        [g.lote.id, JSON.stringify(g.plan.items)],
      );
    return true;
  }

  /** The plan with its items; `bloquear` locks its row for this transaction (a confirmation and a discard are serialized). */
  async buscar(m: EntityManager, loteId: string, bloquear = false): Promise<PlanGuardado | null> {
    const [row] = await m.query(
      `SELECT * FROM ${qualifiedTable(m, 'plan')} WHERE lote_id = $1${bloquear ? ' FOR UPDATE' : ''}`,
      [loteId],
    );
    if (!row) return null;
    const items: { item: ItemDelPlan }[] = await m.query(
      `SELECT item FROM ${qualifiedTable(m, 'plan_item')} WHERE lote_id = $1 ORDER BY orden`,
      [loteId],
    );
    return {
      lote: { id: row.lote_id, origen: row.origen, descripcion: row.descripcion, correlationId: row.correlation_id },
      estado: row.estado,
      simulado: row.simulado,
      activos: row.activos,
      retencion: row.retencion,
      plan: { items: items.map((i) => i.item), pase: row.pase, conteos: row.conteos, enEspera: row.en_espera },
    };
  }

  async resolver(m: EntityManager, loteId: string, estado: EstadoPlan, por: string | null): Promise<void> {
    await m.query(
      `UPDATE ${qualifiedTable(m, 'plan')} SET estado = $2, resuelto_por = $3, resuelto_at = now() WHERE lote_id = $1`,
      [loteId, estado, por],
    );
  }
}
