// The scheduled SIAL pull: every gateway replica runs the cron of the
// runtime configuration (sincronizacion.cron, read in zonaHoraria) and fires at each scheduled time; the
// slot table (franjas.repository.ts) lets exactly one pull per scheduled time through, whatever the
// number of replicas. The pull itself is LoteService.sincronizarSial, as an operator's: lote, audit, tarea.
//
// Picking up a change: each replica re-reads the current version every CONFIG_POLL_MS (one indexed row)
// and reschedules when activa, cron or zonaHoraria changed; fuentes and periodo are read when it fires.
// Polling only, even in the replica that stored the change: a wait of CONFIG_POLL_MS (2 s) is nothing
// next to a schedule that runs at most every 5 minutes, every replica takes the same path (no second
// mechanism that can disagree with the first), and each firing reads the version again before it pulls,
// so a time that was just switched off or moved never pulls, however recent the change.
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Cron } from 'croner';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as esperar } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { InjectConfig, PeriodicTask } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { ConfiguracionService, type VersionConfiguracion } from '../configuracion/configuracion.service.js';
import { LoteService } from '../lotes/lote.service.js';
import { cronDe, decidirRecuperacion, fijarIntervaloMinimo, franjaDe, horaLocal, problemaDeCron } from './cron.js';
import { FranjasRepository, FranjaTomada } from './franjas.repository.js';

/** Who the audit trail and the lote name as having asked for a scheduled pull. */
export const SCHEDULER_ACTOR = 'programador';

/** A pull that failed for another reason than a lost claim (the database went away) is tried again. */
const REINTENTOS_MS = [1_000, 5_000, 15_000];

interface Vigente {
  version: number;
  clave: string;
  problema: string | undefined;
}

@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('SyncScheduler');
  private readonly franjas: FranjasRepository;
  /** Which replica pulled a slot, for whoever reads the table: host, process, and this instance. */
  readonly replica = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private job?: Cron;
  private vigente?: Vigente;
  private readonly revision: PeriodicTask;
  private readonly enCurso = new Set<Promise<void>>();
  private recuperacionPendiente = true;
  private cerrando = false;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly db: DataSource,
    private readonly configuracion: ConfiguracionService,
    private readonly lotes: LoteService,
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
    this.job?.stop();
    this.job = undefined;
    await this.revision.stop();
    await Promise.allSettled([...this.enCurso]);
  }

  /** This replica's view, for GET /programacion: which version it runs and its next firing. */
  get replicaEstado() {
    return {
      id: this.replica,
      versionAplicada: this.vigente?.version ?? null,
      programada: !!this.job,
      proxima: this.job?.nextRun()?.toISOString() ?? null,
    };
  }

  /**
   * The configured pull, now, by `actor` (an operator's "Sincronizar ahora"): the same pull as a scheduled
   * one, but not a slot — it neither takes nor skips a scheduled time.
   */
  async ejecutarAhora(actor: string): Promise<{ loteId: string; version: number }> {
    const v = await this.configuracion.actual();
    const s = v.valores.sincronizacion;
    const { loteId } = await this.lotes.sincronizarSial(s.fuentes, actor, s.periodo ?? undefined, {
      detalle: { disparo: 'manual', configuracionVersion: v.version },
    });
    return { loteId, version: v.version };
  }

  private async revisarAhora(): Promise<void> {
    const v = await this.configuracion.actual();
    this.aplicar(v);
    if (this.recuperacionPendiente) {
      this.recuperacionPendiente = false;
      await this.recuperar(v);
    }
  }

  /** Schedules `v`'s cron, unless it is the one already running. */
  private aplicar(v: VersionConfiguracion): void {
    if (this.cerrando) return;
    const s = v.valores.sincronizacion;
    const zona = v.valores.zonaHoraria;
    const clave = JSON.stringify([s.activa, s.cron, zona]);
    if (this.vigente?.clave === clave) {
      this.vigente.version = v.version;
      return;
    }
    this.job?.stop();
    this.job = undefined;
    let problema = s.activa ? problemaDeCron(s.cron) : undefined;
    if (s.activa && !problema) {
      try {
        // protect: a pull still running (a slow database) is not started again by the next second's firing.
        this.job = new Cron(s.cron, { timezone: zona, mode: '5-or-6-parts', protect: true, unref: true }, () =>
          this.disparar(),
        );
      } catch (err) {
        problema = (err as Error).message;
      }
    }
    this.vigente = { version: v.version, clave, problema };
    if (problema)
      this.log.error(
        { version: v.version, cron: s.cron, problema },
        'scheduled SIAL pull not scheduled: the expression is not usable',
      );
    else if (this.job)
      this.log.log(
        { version: v.version, cron: s.cron, zona, proxima: this.job.nextRun()?.toISOString() },
        'scheduled SIAL pull scheduled',
      );
    else this.log.log({ version: v.version }, 'scheduled SIAL pull inactive');
  }

  private async disparar(): Promise<void> {
    const job = this.job;
    if (!job || this.cerrando) return;
    const franja = franjaDe(job, new Date());
    if (!franja) return;
    const trabajo = (async () => {
      const v = await this.configuracion.actual();
      this.aplicar(v);
      // Switched off or moved since this replica last looked: that time is no longer scheduled.
      if (!this.job?.match(franja)) return;
      await this.tirar(franja, v, false);
    })().catch((err) =>
      this.log.error({ err: (err as Error).message, franja: franja.toISOString() }, 'scheduled SIAL pull failed'),
    );
    this.enCurso.add(trabajo);
    await trabajo.finally(() => this.enCurso.delete(trabajo));
  }

  /** At start: the most recent scheduled time, if nobody pulled it (every replica was down), once. */
  private async recuperar(v: VersionConfiguracion): Promise<void> {
    if (!this.job) return;
    const ahora = new Date();
    const ultima = franjaDe(this.job, ahora);
    const reclamada = ultima ? await this.franjas.reclamada(this.db, ultima) : false;
    const d = decidirRecuperacion({ ultima, reclamada, ahora, vigenteDesde: v.at ? new Date(v.at) : null });
    if (d.tipo === 'perdida') {
      this.log.warn(
        { franja: d.franja.toISOString() },
        'scheduled SIAL pull missed while no gateway was running; too old to catch up, the next scheduled run brings the cohort',
      );
    } else if (d.tipo === 'recuperar') {
      this.log.warn(
        { franja: d.franja.toISOString() },
        'scheduled SIAL pull missed while no gateway was running; catching up now',
      );
      await this.tirar(d.franja, v, true);
    }
  }

  /** Claims `franja` and pulls, in one transaction; a replica that loses the claim does nothing. */
  private async tirar(franja: Date, v: VersionConfiguracion, recuperada: boolean): Promise<void> {
    const s = v.valores.sincronizacion;
    const zona = v.valores.zonaHoraria;
    const local = horaLocal(franja, zona);
    const detalle = {
      disparo: recuperada ? 'recuperacion' : 'programada',
      programadaPara: franja.toISOString(),
      horaLocal: local,
      cron: s.cron,
      zonaHoraria: zona,
      configuracionVersion: v.version,
      ...(recuperada
        ? { nota: `recuperada al arrancar: ningún gateway estaba en marcha a las ${local} (${zona})` }
        : {}),
    };
    for (let intento = 0; ; intento++) {
      try {
        const { loteId } = await this.lotes.sincronizarSial(s.fuentes, SCHEDULER_ACTOR, s.periodo ?? undefined, {
          detalle,
          enTransaccion: (m, id) =>
            this.franjas.reclamar(
              m,
              {
                programadaPara: franja,
                cron: s.cron,
                zonaHoraria: zona,
                configuracionVersion: v.version,
                recuperada,
                replica: this.replica,
              },
              id,
            ),
        });
        this.log.log({ loteId, franja: franja.toISOString(), recuperada }, 'scheduled SIAL pull started');
        return;
      } catch (err) {
        if (err instanceof FranjaTomada) return;
        const espera = REINTENTOS_MS[intento];
        if (espera === undefined || this.cerrando) throw err;
        this.log.warn(
          { err: (err as Error).message, franja: franja.toISOString(), intento: intento + 1 },
          'scheduled SIAL pull failed; trying again',
        );
        await esperar(espera);
      }
    }
  }

  /**
   * The schedule as GET /programacion shows it: the current version's settings (read now, not this
   * replica's copy), its next runs in its zone, and the last slots pulled with their lotes.
   */
  async estado(ultimas = 10) {
    const v = await this.configuracion.actual();
    const s = v.valores.sincronizacion;
    const zona = v.valores.zonaHoraria;
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
