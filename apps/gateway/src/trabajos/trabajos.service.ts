// The jobs as the API shows and changes them. Where their settings live (see trabajos.store.ts):
// - the SIAL job's activa and cron stay the runtime configuration's `sincronizacion`: existing stored
//   versions, exports and clients (PUT/PATCH /config, GET /programacion) keep working unchanged, and a
//   change of them through PATCH /trabajos/sial is a new configuration version like any other;
// - everything else (every other job, and every job's zone, validity and holidays) in the gateway's own
//   table `trabajo`. Not in the runtime configuration: that one is broadcast to every service with
//   ConfiguracionCambiada and is the shared contract (libs/contracts); jobs are the gateway's alone, and a
//   retention or reconciliation job added later must not need a contract change in every service.
// Either way a change is validated whole before anything is written, written in one transaction, and
// audited like a configuration change (audit trail + a tarea of tipo configuracion).
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { invalidInput } from '@lucy/platform';
import { CalendarioRepository } from '../calendario/calendario.repository.js';
import { ConfiguracionService } from '../configuracion/configuracion.service.js';
import { cronDe, problemaDeCron } from '../scheduler/cron.js';
import { SyncScheduler } from '../scheduler/sync.scheduler.js';
import { TareaService } from '../tareas/tarea.service.js';
import { AuditoriaRepository } from '../workflows/auditoria.repository.js';
import { estadoDe, fechaLocal, proximasDe, type Proxima } from './agenda.js';
import { definicionDe, TrabajoRegistry } from './trabajo.registry.js';
import type { CambioTrabajo } from './trabajos.schema.js';
import { TrabajosStore, type AjustesTrabajo } from './trabajos.store.js';
import type { Ejecucion } from '../scheduler/franjas.repository.js';

const PROXIMAS = 5;
/** How far ahead the calendar is read for the next runs. */
const HORIZONTE_DIAS = 400;

const sumarDias = (fecha: string, dias: number) =>
  new Date(Date.parse(`${fecha}T00:00:00Z`) + dias * 86_400_000).toISOString().slice(0, 10);

@Injectable()
export class TrabajosService {
  constructor(
    private readonly db: DataSource,
    private readonly scheduler: SyncScheduler,
    private readonly store: TrabajosStore,
    private readonly registry: TrabajoRegistry,
    private readonly calendario: CalendarioRepository,
    private readonly configuracion: ConfiguracionService,
    private readonly auditoria: AuditoriaRepository,
    private readonly tareas: TareaService,
  ) {}

  async listar() {
    const [todos, ultimas] = await Promise.all([
      this.scheduler.ajustes(),
      this.scheduler.franjas.ultimaDeCada(this.db),
    ]);
    const ahora = new Date();
    const calendario = await this.calendario.entre(
      this.db,
      sumarDias(fechaLocal(ahora, 'UTC'), -1),
      sumarDias(fechaLocal(ahora, 'UTC'), HORIZONTE_DIAS),
    );
    return { items: todos.map((a) => this.vista(a, ultimas.get(a.nombre) ?? null, calendario, ahora)) };
  }

  async uno(nombre: string, limit: number, offset: number) {
    this.existe(nombre);
    const { items } = await this.listar();
    const t = items.find((x) => x.nombre === nombre)!;
    const historial = await this.scheduler.franjas.historial(this.db, nombre, limit, offset);
    return { ...t, historial: { ...historial, limit, offset } };
  }

  private vista(
    a: AjustesTrabajo,
    ultima: Ejecucion | null,
    calendario: Awaited<ReturnType<CalendarioRepository['entre']>>,
    ahora: Date,
  ) {
    const conAccion = !!this.registry.accion(a.nombre);
    let problema = problemaDeCron(a.cron);
    let proximas: Proxima[] = [];
    if (!problema && a.activo) {
      try {
        proximas = proximasDe(cronDe(a.cron, a.zonaHoraria), a, calendario, PROXIMAS, ahora);
      } catch (err) {
        problema = (err as Error).message;
      }
    }
    return {
      ...a,
      estado: estadoDe(a, { problema, conAccion, ahora }),
      problema: problema ?? null,
      conAccion,
      proximas,
      ultima,
      links: {
        self: `/api/v1/trabajos/${a.nombre}`,
        ejecutar: `/api/v1/trabajos/${a.nombre}/ejecutar`,
      },
    };
  }

  private existe(nombre: string) {
    const d = definicionDe(nombre);
    if (!d) throw new NotFoundException(`no existe el trabajo ${nombre}`);
    return d;
  }

  /**
   * Changes job `nombre`'s settings: validated against what it has (validDesde after validHasta is
   * refused whichever of the two is new), then written and audited in one transaction.
   */
  async cambiar(nombre: string, c: CambioTrabajo, actor: string) {
    this.existe(nombre);
    const { motivo, ...cambio } = c;
    const enConfiguracion = nombre === 'sial' && (cambio.activo !== undefined || cambio.cron !== undefined);
    const propio = async (m: EntityManager) => {
      await this.store.bloquear(m, nombre);
      const filas = await this.store.leer(m);
      const previa = filas.get(nombre);
      const antes = (await this.scheduler.ajustes()).find((x) => x.nombre === nombre)!;
      const despues = {
        activo: nombre === 'sial' ? null : (cambio.activo ?? antes.activo),
        cron: nombre === 'sial' ? null : (cambio.cron ?? antes.cron),
        zonaHoraria: cambio.zonaHoraria !== undefined ? cambio.zonaHoraria : (previa?.zonaHoraria ?? null),
        validDesde: cambio.validDesde !== undefined ? cambio.validDesde : antes.validDesde,
        validHasta: cambio.validHasta !== undefined ? cambio.validHasta : antes.validHasta,
        saltarFeriados: cambio.saltarFeriados ?? antes.saltarFeriados,
      };
      if (despues.validDesde && despues.validHasta && despues.validDesde > despues.validHasta)
        throw invalidInput('cuerpo', [
          {
            campo: cambio.validHasta !== undefined ? 'validHasta' : 'validDesde',
            mensaje: `validDesde (${despues.validDesde}) es posterior a validHasta (${despues.validHasta})`,
          },
        ]);
      const cambios = Object.keys(cambio).filter((k) => !(nombre === 'sial' && (k === 'activo' || k === 'cron')));
      if (!cambios.length) return;
      const version = await this.store.guardar(m, { nombre, ...despues, actualizadoPor: actor });
      await this.auditoria.registrar(m, {
        evento: 'accion.trabajo',
        actor,
        correlationId: `trabajo-${nombre}-${version}`,
        detalle: { trabajo: nombre, version, cambios, antes: previa ?? null, despues, motivo },
      });
      await this.tareas.registrar(
        {
          tipo: 'configuracion',
          actor,
          estado: 'completada',
          total: cambios.length,
          exitosos: cambios.length,
          detalle: { trabajo: nombre, version, cambios },
        },
        m,
      );
    };
    if (enConfiguracion) {
      await this.configuracion.cambiar(
        (actual) => ({
          ...actual,
          sincronizacion: {
            ...actual.sincronizacion,
            activa: cambio.activo ?? actual.sincronizacion.activa,
            cron: cambio.cron ?? actual.sincronizacion.cron,
          },
        }),
        actor,
        { motivo: motivo ?? `trabajo ${nombre}`, fijar: ['sincronizacion'], enTransaccion: propio },
      );
    } else {
      await this.db.transaction(propio);
    }
    return this.uno(nombre, 20, 0);
  }

  /** Runs `nombre` now for an operator (see SyncScheduler.ejecutarAhora). */
  async ejecutar(nombre: string, actor: string) {
    this.existe(nombre);
    const r = await this.scheduler.ejecutarAhora(nombre, actor);
    return {
      ejecucionId: r.ejecucionId,
      trabajo: nombre,
      producto: r.producto,
      links: { trabajo: `/api/v1/trabajos/${nombre}`, ...enlaceDe(r.producto) },
    };
  }
}

/** Where to follow what a run made, when it is something the API shows. */
export function enlaceDe(p: { tipo: string; id: string } | null): Record<string, string> {
  if (!p) return {};
  if (p.tipo === 'lote') return { lote: `/api/v1/lotes/${p.id}`, tareas: `/api/v1/tareas?loteId=${p.id}` };
  if (p.tipo === 'tarea') return { tarea: `/api/v1/tareas/${p.id}` };
  if (p.tipo === 'reconciliacion') return { reconciliacion: `/api/v1/reconciliaciones/${p.id}` };
  if (p.tipo === 'retencion') return { retencion: `/api/v1/retencion/${p.id}` };
  return {};
}
