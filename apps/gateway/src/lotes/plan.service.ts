// A lote's plan on the gateway's side: kept as ingest-service announces it (a dry run, or a lote the
// safeguard held), shown paged, and resolved by an operator — confirmed or approved (ingest-service applies
// the plan it kept, exactly as shown) or dropped. Each resolution is audited under the operator's name.
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConfirmarLote, DescartarLote, type LotePlanificado, type LotePlanParte } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { likePattern, type Page } from '../api/schemas.js';
import { ConfiguracionService } from '../configuracion/configuracion.service.js';
import { TareaService } from '../tareas/tarea.service.js';
import { registrar } from '../workflows/auditoria.js';
import { ACCION_DE, itemVista, RESULTADO_DE, type AccionPlan, type ItemVista } from './plan-vista.js';

/** What an operator does with a plan: confirm a dry run, approve a held lote (the same), or drop either. */
export type Resolucion = 'confirmar' | 'aprobar' | 'descartar';
const RESUELTO: Record<Resolucion, 'confirmado' | 'aprobado' | 'descartado'> = {
  confirmar: 'confirmado',
  aprobar: 'aprobado',
  descartar: 'descartado',
};
/** The lote states in which a plan waits for an operator. */
export const ESPERANDO = ['simulado', 'esperando_aprobacion'] as const;

export interface PlanFiltro {
  accion?: AccionPlan;
  q?: string;
}

@Injectable()
export class PlanService {
  private readonly s: string;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly messaging: MessagingRuntime,
    private readonly db: DataSource,
    private readonly configuracion: ConfiguracionService,
    private readonly tareas: TareaService,
  ) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  /**
   * ingest-service kept the lote's plan: the lote waits for an operator (`simulado`, or `esperando_aprobacion`
   * with the reason). Only a lote still waiting for ingest's answer moves: a plan announced again after an
   * operator resolved it changes nothing.
   */
  async onPlanificado(m: EntityManager, e: LotePlanificado): Promise<void> {
    await m.query(
      `INSERT INTO ${this.s}.lote (id, origen, estado, solicitado_por, correlation_id, simulacion) VALUES ($1, $2, 'solicitado', 'sistema', $3, $4)
       ON CONFLICT (id) DO NOTHING`,
      [e.loteId, e.origen, `lote-${e.loteId}`, e.simulado],
    );
    const { loteId: _, ...plan } = e;
    const [fila] = await m.query(
      `UPDATE ${this.s}.lote SET estado = $2, plan = $3 WHERE id = $1 AND estado = 'solicitado' AND resolucion IS NULL RETURNING id`,
      [e.loteId, e.simulado ? 'simulado' : 'esperando_aprobacion', JSON.stringify(plan)],
    );
    if (!fila || e.simulado) return;
    await registrar(m, this.config.DB_SCHEMA, {
      loteId: e.loteId,
      evento: 'lote.esperando-aprobacion',
      actor: 'sistema',
      correlationId: `lote-${e.loteId}`,
      detalle: { motivo: e.retencion?.motivo, bajas: e.bajas, activos: e.activos },
    });
  }

  /** A part of the plan's items: kept once, whatever the order the parts arrive in. */
  async onPlanParte(m: EntityManager, e: LotePlanParte): Promise<void> {
    await m.query(
      `INSERT INTO ${this.s}.lote_plan (lote_id, orden, resultado, dni, item)
       SELECT $1, (j->>'orden')::int, j->>'resultado', j->>'dni', j FROM jsonb_array_elements($2::jsonb) AS x(j)
       ON CONFLICT DO NOTHING`,
      [e.loteId, JSON.stringify(e.items)],
    );
  }

  /**
   * An operator's decision on a waiting plan. Confirm (a dry run) and approve (a held lote) both send
   * ConfirmarLote: ingest-service applies the plan it kept; the lote is `solicitado` again until it answers.
   * Drop sends DescartarLote: the lote is `descartado`. 404 for an unknown lote; 409 for one not waiting, or
   * (to confirm) whose plan has not all arrived — the operator confirms what they could see.
   */
  async resolver(loteId: string, resolucion: Resolucion, actor: string, motivo?: string) {
    return this.messaging.inTransaction(async ({ manager, publish }) => {
      const [lote] = await manager.query(
        `SELECT l.id, l.origen, l.estado, l.simulacion, l.plan, l.nombre_archivo, l.correlation_id,
                (SELECT count(*)::int FROM ${this.s}.lote_plan p WHERE p.lote_id = l.id) AS recibidos
           FROM ${this.s}.lote l WHERE l.id = $1 FOR UPDATE`,
        [loteId],
      );
      if (!lote) throw new NotFoundException(`no existe el lote ${loteId}`);
      if (!(ESPERANDO as readonly string[]).includes(lote.estado))
        throw new ConflictException(
          `el lote está ${lote.estado}: solo se confirma, aprueba o descarta un lote simulado o esperando aprobación`,
        );
      if (resolucion !== 'descartar' && lote.recibidos < (lote.plan?.items ?? 0))
        throw new ConflictException(
          `el plan todavía está llegando (${lote.recibidos} de ${lote.plan.items} filas): esperá a verlo entero`,
        );
      const resuelto = RESUELTO[resolucion];
      const estado = resolucion === 'descartar' ? 'descartado' : 'solicitado';
      await manager.query(
        `UPDATE ${this.s}.lote SET estado = $2, resolucion = $3, resuelto_por = $4, resuelto_at = now() WHERE id = $1`,
        [loteId, estado, resuelto, actor],
      );
      const correlationId = lote.correlation_id as string;
      await registrar(manager, this.config.DB_SCHEMA, {
        loteId,
        evento: `accion.${resolucion}-lote`,
        actor,
        correlationId,
        detalle: {
          ...(motivo ? { motivo } : {}),
          simulacion: lote.simulacion,
          retencion: lote.plan?.retencion?.motivo ?? null,
          bajas: lote.plan?.bajas ?? null,
          nuevos: lote.plan?.nuevos ?? null,
        },
      });
      const tipo = lote.origen === 'sial' ? 'sincronizacion' : 'carga';
      if (resolucion === 'descartar') {
        publish(DescartarLote, { loteId, descartadoPor: actor });
        // A held lote's tarea was running: it ends here, with nothing done.
        await this.tareas.terminarDeLote(manager, loteId, {
          estado: 'fallida',
          total: 0,
          exitosos: 0,
          fallidos: 0,
          detalle: { descartadoPor: actor },
        });
      } else {
        publish(ConfirmarLote, { loteId, confirmadoPor: actor });
        // A dry run set nothing going until now: its tarea starts with the confirmation.
        if (lote.simulacion)
          await this.tareas.registrar(
            { tipo, actor, loteId, detalle: { confirmado: true, nombreArchivo: lote.nombre_archivo } },
            manager,
          );
      }
      return { loteId, estado, resolucion: resuelto, por: actor, links: { lote: `/api/v1/lotes/${loteId}` } };
    });
  }

  /** The plan's items, paged and filtered, each as an action with its courses (plan-vista.ts). */
  async items(loteId: string, f: PlanFiltro, limit: number, offset: number): Promise<Page<ItemVista>> {
    const [lote] = await this.db.query(`SELECT plan FROM ${this.s}.lote WHERE id = $1`, [loteId]);
    if (!lote) throw new NotFoundException(`no existe el lote ${loteId}`);
    const where = ['lote_id = $1'];
    const params: unknown[] = [loteId];
    if (f.accion) {
      params.push(RESULTADO_DE[f.accion]);
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
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total ${sql}`, params);
    const rows = await this.db.query(
      `SELECT item ${sql} ORDER BY orden LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    const conocidos = await this.cursosConocidos();
    return { total, limit, offset, items: rows.map((r: { item: never }) => itemVista(r.item, conocidos)) };
  }

  /** How many items of the plan each action has, and how many students' courses it changes. */
  async resumen(loteId: string): Promise<Record<AccionPlan, number> & { cursos: number }> {
    const rows: { resultado: keyof typeof ACCION_DE; n: number }[] = await this.db.query(
      `SELECT resultado, count(*)::int AS n FROM ${this.s}.lote_plan WHERE lote_id = $1 GROUP BY 1`,
      [loteId],
    );
    const [{ cursos }] = await this.db.query(
      `SELECT count(*)::int AS cursos FROM ${this.s}.lote_plan
        WHERE lote_id = $1 AND (resultado = 'nuevo' OR (resultado = 'actualizado' AND item->'cambios' ?| array['estado', 'periodo']))`,
      [loteId],
    );
    const porAccion = Object.fromEntries(Object.values(ACCION_DE).map((a) => [a, 0])) as Record<AccionPlan, number>;
    for (const r of rows) porAccion[ACCION_DE[r.resultado]] = r.n;
    return { ...porAccion, cursos };
  }

  /** moodle-service's course keys as far as the gateway knows them: only those an operator has set. */
  private async cursosConocidos() {
    const v = await this.configuracion.actual();
    return {
      cursos: v.fijadas.includes('cursos') ? v.valores.cursos : null,
      cursosAnteriores: v.fijadas.includes('cursosAnteriores') ? v.valores.cursosAnteriores : null,
    };
  }
}
