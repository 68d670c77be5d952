// A lote's plan on the gateway's side: kept as ingest-service announces it (a dry run, or a lote the
// safeguard held), shown paged, and resolved by an operator — confirmed or approved (ingest-service applies
// the plan it kept, exactly as shown) or dropped. Each resolution is audited under the operator's name.
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConfirmarLote, DescartarLote, type LotePlanificado, type LotePlanParte } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { Page } from '../api/schemas.js';
import { ConfiguracionService } from '../configuracion/configuracion.service.js';
import { TareaService } from '../tareas/tarea.service.js';
import { AuditoriaRepository } from '../workflows/auditoria.repository.js';
import { LoteRepository } from './lote.repository.js';
import { PlanRepository } from './plan.repository.js';
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
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly auditoria: AuditoriaRepository,
    private readonly messaging: MessagingRuntime,
    private readonly db: DataSource,
    private readonly configuracion: ConfiguracionService,
    private readonly tareas: TareaService,
    private readonly lotes: LoteRepository,
    private readonly planes: PlanRepository,
  ) {}

  /**
   * ingest-service kept the lote's plan: the lote waits for an operator (`simulado`, or `esperando_aprobacion`
   * with the reason). Only a lote still waiting for ingest's answer moves: a plan announced again after an
   * operator resolved it changes nothing.
   */
  async onPlanificado(m: EntityManager, e: LotePlanificado): Promise<void> {
    const planificado = await this.lotes.planificar(m, e);
    if (!planificado || e.simulado) return;
    await this.auditoria.registrar(m, {
      loteId: e.loteId,
      evento: 'lote.esperando-aprobacion',
      actor: 'sistema',
      correlationId: `lote-${e.loteId}`,
      detalle: { motivo: e.retencion?.motivo, bajas: e.bajas, activos: e.activos },
    });
  }

  /** A part of the plan's items: kept once, whatever the order the parts arrive in. */
  async onPlanParte(m: EntityManager, e: LotePlanParte): Promise<void> {
    await this.planes.guardarParte(m, e.loteId, e.items);
  }

  /**
   * An operator's decision on a waiting plan. Confirm (a dry run) and approve (a held lote) both send
   * ConfirmarLote: ingest-service applies the plan it kept; the lote is `solicitado` again until it answers.
   * Drop sends DescartarLote: the lote is `descartado`. 404 for an unknown lote; 409 for one not waiting, or
   * (to confirm) whose plan has not all arrived — the operator confirms what they could see.
   */
  async resolver(loteId: string, resolucion: Resolucion, actor: string, motivo?: string) {
    return this.messaging.inTransaction(async ({ manager, publish }) => {
      const lote = await this.lotes.aResolver(manager, loteId);
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
      await this.lotes.resolver(manager, loteId, estado, resuelto, actor);
      const correlationId = lote.correlation_id as string;
      await this.auditoria.registrar(manager, {
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
      const tipo = lote.origen === 'upload' ? 'carga' : 'sincronizacion';
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
    const lote = await this.lotes.plan(this.db.manager, loteId);
    if (!lote) throw new NotFoundException(`no existe el lote ${loteId}`);
    const { total, items } = await this.planes.pagina(
      this.db.manager,
      loteId,
      { resultado: f.accion ? RESULTADO_DE[f.accion] : undefined, q: f.q },
      limit,
      offset,
    );
    const conocidos = await this.cursosConocidos();
    return { total, limit, offset, items: items.map((item) => itemVista(item, conocidos)) };
  }

  /** How many items of the plan each action has, and how many students' courses it changes. */
  async resumen(loteId: string): Promise<Record<AccionPlan, number> & { cursos: number }> {
    const { porResultado, cursos } = await this.planes.resumen(this.db.manager, loteId);
    const porAccion = Object.fromEntries(Object.values(ACCION_DE).map((a) => [a, 0])) as Record<AccionPlan, number>;
    for (const r of porResultado) porAccion[ACCION_DE[r.resultado]] = r.n;
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
