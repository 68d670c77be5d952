// Plans kept for an operator: a dry run, or a lote the safeguard held. Kept and announced to the gateway
// (LotePlanificado, then its items in parts), and nothing else: no registry row, no student event. An
// operator then confirms one — applied exactly as shown, unless the registry changed under it since — or
// drops it.
import { Injectable, Logger } from '@nestjs/common';
import {
  ITEMS_POR_PARTE,
  LoteFallido,
  LotePlanificado,
  LotePlanParte,
  recortarMotivo,
  type ConfirmarLote,
  type DescartarLote,
  type Retencion,
} from '@lucy/contracts';
import { TransientError } from '@lucy/messaging';
import { desactualizados } from '../domain/plan.js';
import { AlumnoRepository } from '../persistence/alumno.repository.js';
import type { LoteNuevo } from '../persistence/lote.repository.js';
import { PlanRepository, type PlanGuardado } from '../persistence/plan.repository.js';
import { AplicacionService, type Transaccion } from './aplicacion.service.js';
import type { PlanDelLote } from './planificacion.service.js';

/** How many DNIs a refusal names (the rest are counted). */
const NOMBRADOS = 20;

@Injectable()
export class PlanesService {
  private readonly log = new Logger('Planes');

  constructor(
    private readonly planes: PlanRepository,
    private readonly alumnos: AlumnoRepository,
    private readonly aplicacion: AplicacionService,
  ) {}

  /** Keeps the plan (a dry run, or held with `retencion`) and announces it. */
  async guardar(
    tx: Transaccion,
    lote: LoteNuevo,
    { plan, activos }: PlanDelLote,
    simulado: boolean,
    retencion: Retencion | null,
  ): Promise<void> {
    const g: PlanGuardado = {
      lote,
      estado: simulado ? 'simulado' : 'esperando_aprobacion',
      simulado,
      activos,
      retencion,
      plan,
    };
    if (!(await this.planes.guardar(tx.manager, g))) {
      // Another delivery kept this lote's plan while we read SIAL: roll back; the retry answers.
      throw new TransientError(`plan ${lote.id} was kept meanwhile`, 'lote-concurrente');
    }
    this.anunciar(tx, g);
    this.log.log({
      msg: simulado ? 'lote simulated: plan kept' : 'lote held for approval: plan kept',
      loteId: lote.id,
      items: plan.items.length,
      bajas: plan.conteos.bajas,
      activos,
      retencion: retencion?.motivo,
    });
  }

  /** The gateway asked for this lote before and its plan is kept: answer again with it, and do nothing else. */
  async responderSiPlanificado(tx: Transaccion, loteId: string): Promise<boolean> {
    const g = await this.planes.buscar(tx.manager, loteId);
    if (!g) return false;
    this.anunciar(tx, g);
    return true;
  }

  /**
   * Applies the kept plan as it was shown: its rows, not a new read of the source. Refused (LoteFallido,
   * the plan `caducado`) when a student it writes is no longer as the registry held them when it was made,
   * and when it was dropped. The caller answered already if the lote was registered (confirmed before).
   */
  async confirmar(tx: Transaccion, cmd: ConfirmarLote): Promise<void> {
    const m = tx.manager;
    const g = await this.planes.buscar(m, cmd.loteId, true);
    if (!g) return this.rechazar(tx, cmd.loteId, 'no hay un plan para este lote');
    if (g.estado !== 'simulado' && g.estado !== 'esperando_aprobacion')
      return this.rechazar(tx, cmd.loteId, `el plan está ${g.estado}: no se aplica`);
    const { items, pase } = g.plan;
    const actual = await this.alumnos.bloquear(
      m,
      [...items.flatMap((i) => (i.alumnoId && i.resultado !== 'nuevo' ? [i.alumnoId] : [])), ...pase.map((c) => c.id)],
      items.filter((i) => i.resultado === 'nuevo').map((i) => i.dni!),
    );
    const fuera = desactualizados(g.plan, actual);
    if (fuera.length) {
      await this.planes.resolver(m, cmd.loteId, 'caducado', cmd.confirmadoPor);
      const nombrados =
        fuera.slice(0, NOMBRADOS).join(', ') + (fuera.length > NOMBRADOS ? ` y ${fuera.length - NOMBRADOS} más` : '');
      return this.rechazar(
        tx,
        cmd.loteId,
        `el registro cambió desde el plan para ${fuera.length} ${fuera.length === 1 ? 'alumno' : 'alumnos'} (DNI ${nombrados}): descartalo y simulá de nuevo`,
      );
    }
    await this.planes.resolver(m, cmd.loteId, 'confirmado', cmd.confirmadoPor);
    this.log.log({ msg: 'plan confirmed', loteId: cmd.loteId, por: cmd.confirmadoPor, held: !g.simulado });
    await this.aplicacion.aplicar(tx, g.lote, g.plan);
  }

  /** Drops a plan not yet applied: nothing of it ever is. A plan already applied or dropped stays as it is. */
  async descartar(tx: Transaccion, cmd: DescartarLote): Promise<void> {
    const g = await this.planes.buscar(tx.manager, cmd.loteId, true);
    if (!g || (g.estado !== 'simulado' && g.estado !== 'esperando_aprobacion')) return;
    await this.planes.resolver(tx.manager, cmd.loteId, 'descartado', cmd.descartadoPor);
    this.log.log({ msg: 'plan dropped', loteId: cmd.loteId, por: cmd.descartadoPor });
  }

  private anunciar(tx: Transaccion, g: PlanGuardado): void {
    const { plan } = g;
    const c = plan.conteos;
    const partes = Math.ceil(plan.items.length / ITEMS_POR_PARTE);
    tx.publish(LotePlanificado, {
      loteId: g.lote.id,
      origen: g.lote.origen,
      simulado: g.simulado,
      total: c.total,
      nuevos: c.nuevos,
      actualizados: c.actualizados,
      sinCambios: c.sinCambios,
      bajas: c.bajas,
      retornos: c.retornos,
      invalidos: c.filasInvalidas,
      bajasDesconocidas: c.bajasDesconocidas,
      avisos: c.avisos ?? [],
      enEspera: plan.enEspera,
      activos: g.activos,
      retencion: g.retencion,
      items: plan.items.length,
      partes,
    });
    for (let p = 0; p < partes; p++)
      tx.publish(LotePlanParte, {
        loteId: g.lote.id,
        parte: p + 1,
        items: plan.items
          .slice(p * ITEMS_POR_PARTE, (p + 1) * ITEMS_POR_PARTE)
          .map(({ previo: _, clases: __, ...item }) => item),
      });
  }

  /** Told to the gateway, the lote failed: retrying cannot help (the plan's state says why, again, each time). */
  private rechazar(tx: Transaccion, loteId: string, motivo: string): void {
    tx.publish(LoteFallido, { loteId, motivo: recortarMotivo(motivo), permanente: true });
    this.log.warn({ msg: 'plan not applied', loteId, motivo });
  }
}
