// A lote's rows against the registry, in the handler's transaction: plan what they do (planificacion),
// then apply it at once (aplicacion) — unless the gateway asked for a dry run, or the plan would suspend
// more students than the safeguard allows (domain/umbral.ts): then the plan is kept and announced, and
// waits for an operator (planes). A lote id the gateway sent before is answered again, not run twice.
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LoteIngestado } from '@lucy/contracts';
import type { MessageContext } from '@lucy/messaging';
import { RuntimeConfig } from '@lucy/runtime-config';
import { retener } from '../domain/umbral.js';
import type { Lectura } from '../fuentes/lectura.js';
import { LoteItemRepository } from '../persistence/lote-item.repository.js';
import { LoteRepository, type LoteNuevo } from '../persistence/lote.repository.js';
import { AplicacionService, type Transaccion } from './aplicacion.service.js';
import { PlanesService } from './planes.service.js';
import { PlanificacionService } from './planificacion.service.js';

export type { Transaccion };

@Injectable()
export class RegistroService {
  private readonly log = new Logger('Registro');

  constructor(
    private readonly lotes: LoteRepository,
    private readonly items: LoteItemRepository,
    private readonly planificacion: PlanificacionService,
    private readonly aplicacion: AplicacionService,
    private readonly planes: PlanesService,
    private readonly runtime: RuntimeConfig<'umbralBajas'>,
  ) {}

  /**
   * The gateway sent this lote id before (a retry of its own, not a redelivery the inbox catches): answer
   * again with what it came to — the lote registered, or its plan kept — and do nothing else. A failed lote
   * may run again.
   */
  async responderSiYaRegistrado(tx: Transaccion, loteId: string): Promise<boolean> {
    return (await this.responderSiRegistrado(tx, loteId)) || this.planes.responderSiPlanificado(tx, loteId);
  }

  /** The lote was registered (not failed): answer again with what it came to (LoteIngestado). */
  async responderSiRegistrado(tx: Transaccion, loteId: string): Promise<boolean> {
    const lote = await this.lotes.buscar(tx.manager, loteId);
    if (!lote || lote.estado === 'fallido') return false;
    this.log.log({ msg: 'lote already registered; answering again', loteId });
    tx.publish(LoteIngestado, {
      loteId,
      origen: lote.origen,
      total: lote.total,
      nuevos: lote.nuevos,
      actualizados: lote.actualizados,
      sinCambios: lote.sinCambios,
      invalidos: lote.filasInvalidas,
      alumnoIds: await this.items.alumnosEnMarcha(tx.manager, loteId),
      bajas: lote.bajas,
      retornos: lote.retornos,
      bajasDesconocidas: lote.bajasDesconocidas,
      avisos: lote.avisos,
    });
    return true;
  }

  /**
   * An upload the gateway handed over (rows, or a OneRoster zip's files), read by its source's adapter: one
   * lote, unless the gateway sent this lote id before.
   */
  async registrarSubida(
    tx: Transaccion,
    cmd: { loteId: string; nombreArchivo: string | null; simular?: boolean | undefined },
    correlationId: string,
    leer: () => Lectura,
  ): Promise<void> {
    if (await this.responderSiYaRegistrado(tx, cmd.loteId)) return;
    const lote = { id: cmd.loteId, origen: 'upload' as const, descripcion: cmd.nombreArchivo, correlationId };
    await this.registrar(tx, lote, leer(), { simular: cmd.simular });
  }

  /**
   * What any source read (fuentes/lectura.ts), as one lote. `simular`: only the plan, kept and announced.
   * Says whether the lote was applied now, or its plan kept for an operator (a dry run, or held).
   */
  async registrar(
    tx: Transaccion,
    lote: LoteNuevo,
    lectura: Lectura,
    { simular = false }: { simular?: boolean } = {},
  ): Promise<'aplicado' | 'planificado'> {
    const planificado = await this.planificacion.planificar(tx.manager, lectura);
    // Read at this lote: an operator may have changed it since the last one.
    const retencion = retener(planificado.plan.conteos.bajas, planificado.activos, this.runtime.get('umbralBajas'));
    if (simular || retencion) {
      await this.planes.guardar(tx, lote, planificado, simular, retencion);
      return 'planificado';
    }
    await this.aplicacion.aplicar(tx, lote, planificado.plan);
    return 'aplicado';
  }

  /**
   * Should the pull fail for good, its lote is recorded with the reason as an operator reads it (without
   * the error's class name; a dry run leaves no row), in the commit that carries the handler's LoteFallido.
   */
  anotarSiFalla(ctx: MessageContext, lote: LoteNuevo, simular = false): void {
    ctx.onFailure((fallo) => {
      fallo.motivo = fallo.motivo.replace(/^\w+Error: /, '');
      const write = async (m: EntityManager) => {
        if (!simular) await this.lotes.guardarFallido(m, lote, fallo.motivo);
      };
      return { write };
    });
  }
}
