// The scheduled jobs: which exist (TRABAJOS, with their defaults) and what each does (registered here by
// the module that owns the action). The scheduler (scheduler/sync.scheduler.ts) runs any job the same way
// — its cron, zone, validity, holidays, one run per scheduled time across replicas, history — and calls
// the registered `ejecutar`; it knows nothing of what a job does. A job listed without an action (yet) is
// shown, editable, never run.
//
// To plug a job in: add it to TRABAJOS (its name and defaults), then in a provider of your module inject
// TrabajoRegistry and, in its constructor or onModuleInit, call registrar({ nombre, ejecutar }).
import { ConflictException, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What a run made, for its history and links: a lote, a tarea, a purge, … */
export interface Producto {
  tipo: string;
  id: string;
}

export type Disparo = 'programada' | 'recuperacion' | 'manual';

export interface ContextoEjecucion {
  nombre: string;
  disparo: Disparo;
  /** The scheduled time this run is for; null for a manual run. */
  programadaPara: Date | null;
  /** Who asked: 'programador' for a scheduled run, the operator's token name for a manual one. */
  actor: string;
  zonaHoraria: string;
  /** What the run's own records (audit trail, tarea) may carry to say where it came from. */
  detalle: Record<string, unknown>;
  /**
   * For an action that claims in its own transaction (AccionTrabajo.reclamaEnSuTransaccion), on a scheduled
   * run: records the run, as done with `producto`, in `m`'s transaction — the one that creates the product —
   * and throws when another replica has that scheduled time, so that transaction rolls back and nothing is
   * made twice. Absent for a manual run (it takes no scheduled time).
   */
  reclamar?: (m: EntityManager, producto: Producto) => Promise<void>;
}

export interface AccionTrabajo {
  nombre: string;
  /** Does the job's work; what it returns is recorded in the run's history. A throw records it as fallido. */
  ejecutar(ctx: ContextoEjecucion): Promise<Producto>;
  /**
   * The action makes its product in one transaction and calls ctx.reclamar in it: a scheduled time's claim
   * commits with what the run made, or neither does. Otherwise the scheduler holds the claim in a
   * transaction of its own while the action runs.
   */
  reclamaEnSuTransaccion?: boolean;
}

export interface DefinicionTrabajo {
  nombre: string;
  descripcion: string;
  /** Defaults, until an operator changes them. */
  cron: string;
  activo: boolean;
}

/**
 * Every job. The SIAL job's cron and activa are the runtime configuration's `sincronizacion` (what is
 * listed here for it is only documentation of that default).
 */
export const TRABAJOS: readonly DefinicionTrabajo[] = [
  {
    nombre: 'sial',
    descripcion: 'Traer los alumnos de SIAL (la sincronización programada)',
    cron: '0 2 * * *',
    activo: false,
  },
  {
    nombre: 'reconciliacion',
    descripcion: 'Reconciliar las cuentas de Entra ID y Moodle con lo que Lucy registra',
    cron: '0 6 * * 1',
    activo: false,
  },
  {
    nombre: 'retencion',
    descripcion: 'Depurar los datos que ya no deben conservarse',
    cron: '0 3 * * 0',
    activo: false,
  },
  // Both run only with the OneRoster server configured (ONEROSTER_URL): without it no action is registered
  // (listed as sin_accion, never run). At half past, so the weekly full pull never starts with a delta one.
  {
    nombre: 'oneroster',
    descripcion: 'Traer de OneRoster lo que cambió desde la última sincronización',
    cron: '30 * * * *',
    activo: true,
  },
  {
    nombre: 'oneroster-completa',
    descripcion: 'Traer todo OneRoster, para lo que las sincronizaciones de cambios no vieron',
    cron: '0 4 * * 0',
    activo: true,
  },
];

export const NOMBRES_TRABAJOS = TRABAJOS.map((t) => t.nombre);

export const definicionDe = (nombre: string) => TRABAJOS.find((t) => t.nombre === nombre);

@Injectable()
export class TrabajoRegistry {
  private readonly acciones = new Map<string, AccionTrabajo>();

  registrar(accion: AccionTrabajo): void {
    if (!definicionDe(accion.nombre))
      throw new Error(`no existe el trabajo ${accion.nombre}: agregalo a TRABAJOS (trabajos/trabajo.registry.ts)`);
    if (this.acciones.has(accion.nombre)) throw new Error(`el trabajo ${accion.nombre} ya tiene una acción registrada`);
    this.acciones.set(accion.nombre, accion);
  }

  /**
   * Puts another action in place of a job's registered one: what a test does to watch the scheduler call a
   * job (a probe instead of a real reconciliation). Registering twice stays an error, so two modules cannot
   * claim one job by mistake.
   */
  reemplazar(accion: AccionTrabajo): void {
    if (!definicionDe(accion.nombre)) throw new Error(`no existe el trabajo ${accion.nombre}`);
    this.acciones.set(accion.nombre, accion);
  }

  accion(nombre: string): AccionTrabajo | undefined {
    return this.acciones.get(nombre);
  }

  /** The action, or 409 for a job whose action no module provides yet. */
  accionOConflicto(nombre: string): AccionTrabajo {
    const a = this.acciones.get(nombre);
    if (!a)
      throw new ConflictException(
        `el trabajo ${nombre} todavía no tiene una acción: ningún módulo la registró, así que no se puede ejecutar`,
      );
    return a;
  }
}
