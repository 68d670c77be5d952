// The scheduled jobs (trabajos/trabajo.registry.ts: sial, reconciliacion, retencion, …): every gateway
// replica runs each active job's cron, read in its zone, and fires at each scheduled time; the runs table
// (franjas.repository.ts) lets exactly one run per scheduled time per job through, whatever the number of
// replicas. What a job does is the action its module registered; a job without one is never scheduled.
// A scheduled time outside the job's validity, or on a holiday of the academic calendar for a job that
// skips them, is recorded as omitido (with the reason) instead of run: its history says so.
//
// Picking up a change: each replica re-reads the settings every CONFIG_POLL_MS (the configuration's
// current version, for the SIAL job and the default zone, and the job rows: a few indexed rows) and
// reschedules a job whose activo, cron or zone changed; everything else (validity, holidays, fuentes…)
// is read when it fires. Polling only, even in the replica that stored the change: a wait of
// CONFIG_POLL_MS (2 s) is nothing next to a schedule that runs at most every 5 minutes, every replica
// takes the same path, and each firing reads the settings again before it runs, so a time that was just
// switched off or moved never runs, however recent the change.
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Cron } from 'croner';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as esperar } from 'node:timers/promises';
import { DataSource, type EntityManager } from 'typeorm';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig, PeriodicTask } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { AlertasService } from '../alertas/alertas.service.js';
import { CalendarioRepository } from '../calendario/calendario.repository.js';
import { ConfiguracionService } from '../configuracion/configuracion.service.js';
import { fechaLocal, omisionDe } from '../trabajos/agenda.js';
import {
  TrabajoRegistry,
  type AccionTrabajo,
  type ContextoEjecucion,
  type Producto,
} from '../trabajos/trabajo.registry.js';
import { todosLosAjustes, TrabajosStore, type AjustesTrabajo } from '../trabajos/trabajos.store.js';
import { cronDe, decidirRecuperacion, fijarIntervaloMinimo, franjaDe, horaLocal, problemaDeCron } from './cron.js';
import { FranjasRepository, type Franja } from './franjas.repository.js';

/** Who the audit trail and the lote name as having asked for a scheduled run. */
export const SCHEDULER_ACTOR = 'programador';

/**
 * A scheduled run that failed (the database went away) is tried again, by the replica that claimed it,
 * before it is recorded as fallido. A job's action must be safe to repeat for one scheduled time.
 */
const REINTENTOS_MS = [1_000, 5_000, 15_000];

/** Another replica holds this scheduled time: the action's transaction rolls back, nothing is made. */
class FranjaTomada extends Error {
  constructor() {
    super('another replica claimed this scheduled time');
  }
}

interface Programado {
  clave: string;
  job?: Cron;
  problema?: string;
}

@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('SyncScheduler');
  readonly franjas: FranjasRepository;
  /** Which replica ran a slot, for whoever reads the table: host, process, and this instance. */
  readonly replica = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly programados = new Map<string, Programado>();
  private versionAplicada?: number;
  private readonly revision: PeriodicTask;
  private readonly enCurso = new Set<Promise<void>>();
  private recuperacionPendiente = true;
  private cerrando = false;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly db: DataSource,
    private readonly configuracion: ConfiguracionService,
    private readonly store: TrabajosStore,
    private readonly registry: TrabajoRegistry,
    private readonly calendario: CalendarioRepository,
    private readonly messaging: MessagingRuntime,
    private readonly alertas: AlertasService,
  ) {
    // The API's schema refuses a more frequent expression with the same figure (see cron.ts).
    fijarIntervaloMinimo(config.SCHEDULER_MIN_INTERVAL_S);
    this.franjas = new FranjasRepository(config.DB_SCHEMA);
    this.revision = new PeriodicTask({
      name: 'SyncScheduler',
      everyMs: config.CONFIG_POLL_MS,
      run: () => this.revisarAhora(),
      onError: (err) =>
        this.log.warn({ err: (err as Error).message }, 'could not read the schedule; keeping the current one'),
    });
  }

  onApplicationBootstrap(): void {
    void this.revision.runNow();
    this.revision.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.cerrando = true;
    for (const p of this.programados.values()) p.job?.stop();
    this.programados.clear();
    await this.revision.stop();
    await Promise.allSettled([...this.enCurso]);
  }

  /** Every job's settings in force, read now. */
  async ajustes(): Promise<AjustesTrabajo[]> {
    return (await this.leer()).todos;
  }

  private async leer() {
    const [v, filas] = await Promise.all([this.configuracion.actual(), this.store.leer(this.db)]);
    return { version: v.version, todos: todosLosAjustes(filas, v) };
  }

  /** This replica's view of the SIAL job, for GET /programacion: which version it runs and its next firing. */
  get replicaEstado() {
    const job = this.programados.get('sial')?.job;
    return {
      id: this.replica,
      versionAplicada: this.versionAplicada ?? null,
      programada: !!job,
      proxima: job?.nextRun()?.toISOString() ?? null,
    };
  }

  /**
   * Runs job `nombre` now, for `actor` (an operator's "run now"): recorded in its history as a manual run,
   * whatever its schedule, validity or the calendar say (the operator asked); it neither takes nor skips
   * a scheduled time. 409 for a job whose action no module provides. A failure is recorded, then thrown.
   */
  async ejecutarAhora(
    nombre: string,
    actor: string,
  ): Promise<{ ejecucionId: string; producto: Producto; ajustes: AjustesTrabajo }> {
    const accion = this.registry.accionOConflicto(nombre);
    const a = (await this.ajustes()).find((x) => x.nombre === nombre)!;
    const id = (await this.franjas.reclamar(this.db, this.franja(a, null, 'manual', actor), {
      resultado: 'en_curso',
    }))!;
    const fin = (resultado: 'ok' | 'fallido', error?: string) => ({
      tipo: 'ejecucion' as const,
      trabajo: nombre,
      ejecucionId: id,
      resultado,
      disparo: 'manual',
      error,
    });
    let producto: Producto;
    try {
      producto = await accion.ejecutar(this.contexto(a, null, 'manual', actor));
    } catch (err) {
      // The failure and its alert commit together (alertas/alertas.service.ts).
      const error = (err as Error).message;
      await this.messaging.inTransaction(async (scope) => {
        await this.franjas.terminar(scope.manager, id, { resultado: 'fallido', error });
        await this.alertas.registrar(scope, fin('fallido', error));
      });
      throw err;
    }
    await this.messaging.inTransaction(async (scope) => {
      await this.franjas.terminar(scope.manager, id, { resultado: 'ok', producto });
      await this.alertas.registrar(scope, fin('ok'));
    });
    return { ejecucionId: id, producto, ajustes: a };
  }

  private async revisarAhora(): Promise<void> {
    const { version, todos } = await this.leer();
    for (const a of todos) this.aplicar(a);
    this.versionAplicada = version;
    if (this.recuperacionPendiente) {
      this.recuperacionPendiente = false;
      for (const a of todos) await this.recuperar(a);
    }
  }

  /** Schedules `a`'s cron, unless it is the one already running. */
  private aplicar(a: AjustesTrabajo): void {
    if (this.cerrando) return;
    const conAccion = !!this.registry.accion(a.nombre);
    // Past validHasta the job is over: no longer scheduled (rather than one omitido row per scheduled time
    // for ever). Before validDesde it is scheduled and each time is recorded as omitido: it is coming.
    const terminado = !!a.validHasta && fechaLocal(new Date(), a.zonaHoraria) > a.validHasta;
    const clave = JSON.stringify([a.activo, a.cron, a.zonaHoraria, conAccion, terminado]);
    const previo = this.programados.get(a.nombre);
    if (previo?.clave === clave) return;
    previo?.job?.stop();
    const p: Programado = { clave };
    this.programados.set(a.nombre, p);
    if (!a.activo || !conAccion || terminado) {
      if (previo)
        this.log.log({ trabajo: a.nombre, version: a.version, conAccion, terminado }, 'scheduled job not scheduled');
      return;
    }
    p.problema = problemaDeCron(a.cron);
    if (!p.problema) {
      try {
        // protect: a run still going (a slow database) is not started again by the next second's firing.
        p.job = new Cron(a.cron, { timezone: a.zonaHoraria, mode: '5-or-6-parts', protect: true, unref: true }, () =>
          this.disparar(a.nombre),
        );
      } catch (err) {
        p.problema = (err as Error).message;
      }
    }
    if (p.problema)
      this.log.error(
        { trabajo: a.nombre, version: a.version, cron: a.cron, problema: p.problema },
        'scheduled job not scheduled: the expression is not usable',
      );
    else
      this.log.log(
        {
          trabajo: a.nombre,
          version: a.version,
          cron: a.cron,
          zona: a.zonaHoraria,
          proxima: p.job?.nextRun()?.toISOString(),
        },
        'scheduled job scheduled',
      );
  }

  private async disparar(nombre: string): Promise<void> {
    const job = this.programados.get(nombre)?.job;
    if (!job || this.cerrando) return;
    const franja = franjaDe(job, new Date());
    if (!franja) return;
    const trabajo = (async () => {
      const a = (await this.ajustes()).find((x) => x.nombre === nombre)!;
      this.aplicar(a);
      // Switched off or moved since this replica last looked: that time is no longer scheduled.
      if (!this.programados.get(nombre)?.job?.match(franja)) return;
      await this.correr(a, franja, 'programada');
    })().catch((err) =>
      this.log.error(
        { trabajo: nombre, err: (err as Error).message, franja: franja.toISOString() },
        'scheduled job failed',
      ),
    );
    this.enCurso.add(trabajo);
    await trabajo.finally(() => this.enCurso.delete(trabajo));
  }

  /** At start: the most recent scheduled time of `a`, if nobody ran it (every replica was down), once. */
  private async recuperar(a: AjustesTrabajo): Promise<void> {
    const job = this.programados.get(a.nombre)?.job;
    if (!job) return;
    const ahora = new Date();
    const ultima = franjaDe(job, ahora);
    const reclamada = ultima ? await this.franjas.reclamada(this.db, a.nombre, ultima) : false;
    const d = decidirRecuperacion({
      ultima,
      reclamada,
      ahora,
      vigenteDesde: a.vigenteDesdeAt ? new Date(a.vigenteDesdeAt) : null,
    });
    if (d.tipo === 'perdida') {
      this.log.warn(
        { trabajo: a.nombre, franja: d.franja.toISOString() },
        'scheduled run missed while no gateway was running; too old to catch up, the next scheduled run does it',
      );
    } else if (d.tipo === 'recuperar') {
      this.log.warn(
        { trabajo: a.nombre, franja: d.franja.toISOString() },
        'scheduled run missed while no gateway was running; catching up now',
      );
      await this.correr(a, d.franja, 'recuperacion');
    }
  }

  private franja(a: AjustesTrabajo, franja: Date | null, disparo: Franja['disparo'], actor: string): Franja {
    return {
      trabajo: a.nombre,
      programadaPara: franja,
      disparo,
      actor,
      cron: a.cron,
      zonaHoraria: a.zonaHoraria,
      configuracionVersion: a.version,
      replica: this.replica,
    };
  }

  private contexto(
    a: AjustesTrabajo,
    franja: Date | null,
    disparo: Franja['disparo'],
    actor: string,
  ): ContextoEjecucion {
    const local = franja && horaLocal(franja, a.zonaHoraria);
    const detalle: Record<string, unknown> = franja
      ? {
          disparo,
          trabajo: a.nombre,
          programadaPara: franja.toISOString(),
          horaLocal: local,
          cron: a.cron,
          zonaHoraria: a.zonaHoraria,
          ...(disparo === 'recuperacion'
            ? { nota: `recuperada al arrancar: ningún gateway estaba en marcha a las ${local} (${a.zonaHoraria})` }
            : {}),
        }
      : { disparo, trabajo: a.nombre };
    return { nombre: a.nombre, disparo, programadaPara: franja, actor, zonaHoraria: a.zonaHoraria, detalle };
  }

  /**
   * One scheduled time of `a`: skipped and recorded as omitido (outside its validity, a holiday), or
   * claimed and run. An action that makes its product in one transaction claims there (correrReclamando):
   * claim and product commit together. Any other runs in a transaction that holds the claim while it runs —
   * a replica that loses the claim waits for it and does nothing; if the claiming replica dies, its claim
   * rolls back and a waiting one runs it.
   */
  private async correr(a: AjustesTrabajo, franja: Date, disparo: 'programada' | 'recuperacion'): Promise<void> {
    const accion = this.registry.accion(a.nombre);
    if (!accion) return;
    const fecha = fechaLocal(franja, a.zonaHoraria);
    const omision = omisionDe(franja, a, a.saltarFeriados ? await this.calendario.entre(this.db, fecha, fecha) : []);
    const f = this.franja(a, franja, disparo, SCHEDULER_ACTOR);
    if (omision) {
      const id = await this.franjas.reclamar(this.db, f, {
        resultado: 'omitido',
        motivo: omision.motivo,
        feriado: omision.nombre,
      });
      if (id) {
        this.alertas.omitida(a.nombre);
        this.log.log(
          { trabajo: a.nombre, franja: franja.toISOString(), motivo: omision.motivo, feriado: omision.nombre },
          'scheduled run skipped',
        );
      }
      return;
    }
    const ctx = this.contexto(a, franja, disparo, SCHEDULER_ACTOR);
    if (accion.reclamaEnSuTransaccion) return this.correrReclamando(accion, a, f, ctx);
    // The claim, the run's end and (on a failure) its alert in one transaction: the alert's EnviarAlerta
    // goes through this transaction's outbox (alertas/alertas.service.ts).
    await this.messaging.inTransaction(async (scope) => {
      const m = scope.manager;
      const id = await this.franjas.reclamar(m, f, { resultado: 'en_curso' });
      if (!id) return;
      const hecho = { tipo: 'ejecucion' as const, trabajo: a.nombre, ejecucionId: id, disparo };
      for (let intento = 0; ; intento++) {
        try {
          const producto = await accion.ejecutar(ctx);
          await this.franjas.terminar(m, id, { resultado: 'ok', producto });
          await this.alertas.registrar(scope, { ...hecho, resultado: 'ok' });
          this.log.log({ trabajo: a.nombre, producto, franja: franja.toISOString(), disparo }, 'scheduled job started');
          return;
        } catch (err) {
          const espera = REINTENTOS_MS[intento];
          if (espera === undefined || this.cerrando) {
            await this.franjas.terminar(m, id, { resultado: 'fallido', error: (err as Error).message });
            await this.alertas.registrar(scope, { ...hecho, resultado: 'fallido', error: (err as Error).message });
            this.log.error(
              { trabajo: a.nombre, err: (err as Error).message, franja: franja.toISOString() },
              'scheduled job failed',
            );
            return;
          }
          this.log.warn(
            { trabajo: a.nombre, err: (err as Error).message, franja: franja.toISOString(), intento: intento + 1 },
            'scheduled job failed; trying again',
          );
          await esperar(espera);
        }
      }
    });
  }

  /**
   * A scheduled time of an action that claims in its own transaction: the claim is recorded, as done with
   * what the run made, in the transaction that makes it (ctx.reclamar), so a commit that fails leaves neither
   * and one that succeeds leaves both — no product without its claim, never a second run of the time. Every
   * replica that fires starts the action; the claim's insert lets one commit and rolls the others back
   * (FranjaTomada). Tried again on a failure; past the retries it is recorded fallido (with its alert),
   * unless another replica ran it meanwhile.
   */
  private async correrReclamando(accion: AccionTrabajo, a: AjustesTrabajo, f: Franja, ctx: ContextoEjecucion) {
    const franja = f.programadaPara!.toISOString();
    const hecho = { tipo: 'ejecucion' as const, trabajo: a.nombre, disparo: f.disparo };
    const reclamar = async (m: EntityManager, producto: Producto) => {
      if (!(await this.franjas.reclamar(m, f, { resultado: 'ok', producto }))) throw new FranjaTomada();
    };
    for (let intento = 0; ; intento++) {
      try {
        const producto = await accion.ejecutar({ ...ctx, reclamar });
        this.alertas.hecha(a.nombre);
        this.log.log({ trabajo: a.nombre, producto, franja, disparo: f.disparo }, 'scheduled job started');
        return;
      } catch (err) {
        if (err instanceof FranjaTomada) return;
        const error = (err as Error).message;
        const espera = REINTENTOS_MS[intento];
        if (espera === undefined || this.cerrando) {
          await this.messaging.inTransaction(async (scope) => {
            const id = await this.franjas.reclamar(scope.manager, f, { resultado: 'fallido', error });
            if (id) await this.alertas.registrar(scope, { ...hecho, ejecucionId: id, resultado: 'fallido', error });
          });
          this.log.error({ trabajo: a.nombre, err: error, franja }, 'scheduled job failed');
          return;
        }
        this.log.warn(
          { trabajo: a.nombre, err: error, franja, intento: intento + 1 },
          'scheduled job failed; trying again',
        );
        await esperar(espera);
      }
    }
  }

  /**
   * The SIAL job as GET /programacion shows it: its settings (read now, not this replica's copy), its
   * next runs in its zone, and the last scheduled times pulled with their lotes.
   */
  async estado(ultimas = 10) {
    const v = await this.configuracion.actual();
    const a = (await this.ajustes()).find((x) => x.nombre === 'sial')!;
    const s = v.valores.sincronizacion;
    const zona = a.zonaHoraria;
    let problema = problemaDeCron(s.cron);
    let proximas: Date[] = [];
    if (!problema) {
      try {
        if (s.activa) proximas = cronDe(s.cron, zona).nextRuns(5);
      } catch (err) {
        problema = (err as Error).message;
      }
    }
    const enLocal = (d: Date) => ({ at: d.toISOString(), local: horaLocal(d, zona) });
    return {
      activa: s.activa,
      estado: !s.activa ? ('inactiva' as const) : problema ? ('invalida' as const) : ('programada' as const),
      problema: problema ?? null,
      cron: s.cron,
      zonaHoraria: zona,
      fuentes: s.fuentes,
      periodo: s.periodo,
      version: v.version,
      proximas: proximas.map(enLocal),
      ultimas: (await this.franjas.ultimas(this.db, ultimas)).map((f) => ({
        ...enLocal(new Date(f.programadaPara)),
        loteId: f.loteId,
        recuperada: f.recuperada,
        replica: f.replica,
        lote: { estado: f.loteEstado, total: f.loteTotal, error: f.loteError },
        links: { lote: `/api/v1/lotes/${f.loteId}`, tareas: `/api/v1/tareas?loteId=${f.loteId}` },
      })),
      replica: this.replicaEstado,
    };
  }
}
