// Starts lifecycle workflows from what ingest reports (a change, a leaver, a return) and from operators,
// applies their replies, and ends a leaver's grace. Each in the caller's transaction: the workflow row
// locked, saved with its steps, audited, its commands queued in the outbox. What changes is the engine's
// (ciclo.saga.ts); who the student is (their account) comes from their onboarding workflow.
import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AlumnoActualizado, AlumnoDadoDeBaja, AlumnoRetornado, type MessageDefinition } from '@lucy/contracts';
import { MessagingRuntime, type MessageContext, type TransactionScope } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { ConfiguracionService } from '../configuracion/configuracion.service.js';
import { idDe } from '../sagas/onboarding.saga.js';
import { AuditoriaRepository } from '../workflows/auditoria.repository.js';
import { WorkflowRepository } from '../workflows/workflow.repository.js';
import { WorkflowService } from '../workflows/workflow.service.js';
import type { DatosCiclo, Reparo, TipoCiclo } from './ciclo.pasos.js';
import {
  aplicar,
  cerrarPorRetorno,
  EN_ESPERA_CICLO,
  ESPERANDO_RESPUESTA,
  iniciar,
  marcarAtascado,
  RechazoCiclo,
  reintentar,
  respuestasDelCiclo,
  TERMINALES_CICLO,
  vencerEspera,
  type CicloState,
  type ConfigCiclo,
  type EfectoCiclo,
} from './ciclo.saga.js';
import { CicloRepository, type CicloRow } from './ciclo.repository.js';

/** What ingest reports about a student's stay, and every reply a lifecycle step waits for. */
export const EVENTOS_DEL_CICLO: readonly MessageDefinition[] = [
  AlumnoActualizado,
  AlumnoDadoDeBaja,
  AlumnoRetornado,
  ...respuestasDelCiclo(),
];

/** How long a lifecycle phase may go without an answer before it is flagged stuck. */
const PLAZO_FASE_MS = 60 * 60_000;

type Publish = (def: MessageDefinition, payload: never) => void;
/** What an action started (or why nothing was needed). */
export interface ResultadoCiclo {
  workflowId?: string;
  estado: string;
  comandos: string[];
  nota: string;
}
interface Origen {
  evento: string;
  actor: string;
  correlationId: string;
  messageId?: string;
  causationId?: string | null;
}

@Injectable()
export class CicloService {
  private readonly log = new Logger('Ciclo');

  constructor(
    @InjectConfig() private readonly gateway: GatewayConfig,
    private readonly auditoria: AuditoriaRepository,
    private readonly messaging: MessagingRuntime,
    private readonly repo: CicloRepository,
    private readonly onboarding: WorkflowRepository,
    private readonly workflows: WorkflowService,
    private readonly configuracion: ConfiguracionService,
  ) {}

  /** What the engine reads of the configuration, as it stands now (read in the caller's transaction). */
  private async config(m: EntityManager): Promise<ConfigCiclo> {
    const { valores } = await this.configuracion.actual(m);
    return { graciaBajaDias: this.gateway.GRACIA_BAJA_DIAS, moodleAlEliminar: valores.moodleAlEliminar };
  }

  /**
   * An event the lifecycle hears. A reply one of the student's lifecycle steps waits for is applied to that
   * workflow (the oldest waiting) and the answer is true: onboarding's saga does not see it. A change, a
   * leaver or a return starts (or closes) a workflow, and onboarding's saga still reads it.
   */
  async onEvent(def: MessageDefinition, payload: Record<string, unknown>, ctx: MessageContext): Promise<boolean> {
    const alumnoId = payload.alumnoId as string;
    const origen: Origen = {
      evento: def.name,
      actor: 'sistema',
      correlationId: ctx.correlationId,
      messageId: ctx.envelope.messageId,
      causationId: ctx.envelope.causationId,
    };
    const publish: Publish = (d, p) => ctx.publish(d, p);
    const m = ctx.manager;
    if (def.id === AlumnoActualizado.id) {
      const e = payload as AlumnoActualizado;
      await this.empezar(m, publish, 'actualizacion', alumnoId, null, origen, {
        alumno: e.alumno,
        anterior: e.anterior,
      });
      return false;
    }
    if (def.id === AlumnoDadoDeBaja.id) {
      const e = payload as AlumnoDadoDeBaja;
      await this.darDeBaja(m, publish, alumnoId, e.motivo, origen, e.alumno);
      return false;
    }
    if (def.id === AlumnoRetornado.id) {
      await this.retornar(m, publish, alumnoId, origen, (payload as AlumnoRetornado).alumno);
      return false;
    }
    const abiertos = await this.repo.abiertos(m, alumnoId);
    const config = abiertos.length ? await this.config(m) : undefined;
    for (const w of abiertos) {
      const efecto = aplicar(w.state, def, payload, new Date().toISOString(), config!);
      if (!efecto) continue;
      await this.persistir(m, w, efecto, publish, { ...origen, detalle: payload });
      return true;
    }
    return false;
  }

  /**
   * Operator actions on a student's stay: suspend them (a leave), bring them back, or send again what their
   * running lifecycle workflows still wait for.
   */
  async accion(alumnoId: string, actor: string, accion: 'suspender' | 'reactivar' | 'reintentar-ciclo') {
    return this.enTransaccion(alumnoId, actor, `accion.${accion}`, async (scope, origen) => {
      const publish: Publish = (d, p) => scope.publish(d, p);
      if (accion === 'suspender') return this.darDeBaja(scope.manager, publish, alumnoId, 'operador', origen);
      if (accion === 'reintentar-ciclo') return this.reintentar(scope.manager, publish, alumnoId, origen);
      return this.retornar(scope.manager, publish, alumnoId, origen);
    });
  }

  /** Each lifecycle workflow of the student waiting for answers sends its unanswered steps again. */
  private async reintentar(m: EntityManager, publish: Publish, alumnoId: string, origen: Origen) {
    const esperando = (await this.repo.abiertos(m, alumnoId)).filter((w) =>
      ESPERANDO_RESPUESTA.includes(w.state.estado),
    );
    if (!esperando.length)
      throw new RechazoCiclo('el alumno no tiene un ciclo que espere respuestas: nada que reintentar');
    const resultados: ResultadoCiclo[] = [];
    for (const w of esperando) {
      const efecto = reintentar(w.state);
      await this.persistir(m, w, efecto, publish, origen);
      resultados.push({
        workflowId: w.id,
        estado: w.state.estado,
        comandos: efecto.comandos.map((c) => c.def.name),
        nota: efecto.nota,
      });
    }
    return {
      ...resultados[0]!,
      comandos: resultados.flatMap((r) => r.comandos),
      nota: resultados.map((r) => r.nota).join('; '),
    };
  }

  /** An operator's list of courses for one student, all or none. */
  async inscribir(alumnoId: string, actor: string, cursos: string[]) {
    return this.enTransaccion(alumnoId, actor, 'accion.inscribir', (scope, origen) =>
      this.empezar(scope.manager, (d, p) => scope.publish(d, p), 'inscripcion', alumnoId, null, origen, { cursos }),
    );
  }

  /**
   * A reconciliation's repair for one student: a `reparacion` workflow with the steps the differences found
   * call for (ciclo.pasos.ts), audited under the actor's name. Refused (409) while another lifecycle workflow
   * of the student is open: that one is already changing the accounts. `enLaTransaccion` runs with the new
   * workflow's id in the transaction that creates it (the caller records what it repairs); if it throws,
   * nothing is started.
   */
  async reparar(
    alumnoId: string,
    actor: string,
    reparar: Reparo[],
    cursos: string[],
    enLaTransaccion?: (m: EntityManager, workflowId: string) => Promise<void>,
  ) {
    return this.enTransaccion(alumnoId, actor, 'accion.reparar', async (scope, origen) => {
      if ((await this.repo.abiertos(scope.manager, alumnoId)).length)
        throw new RechazoCiclo('el alumno tiene un ciclo en curso: la reparación espera a que termine');
      const res = await this.empezar(
        scope.manager,
        (d, p) => scope.publish(d, p),
        'reparacion',
        alumnoId,
        'reconciliación',
        origen,
        { reparar, cursos },
      );
      if (res.workflowId) await enLaTransaccion?.(scope.manager, res.workflowId);
      return res;
    });
  }

  /**
   * The sweeper's turn: leavers whose grace is over are deleted; workflows that wait for answers past their
   * deadline are flagged stuck, once, in their audit trail (the deadline kept: flagging gives no more time).
   */
  async sweep(): Promise<number> {
    const atascados = await this.messaging.inTransaction(async (scope) => {
      const vencidos = await this.repo.vencidos(scope.manager, ESPERANDO_RESPUESTA);
      for (const w of vencidos) {
        const efecto = marcarAtascado(w.state);
        if (efecto)
          await this.persistir(
            scope.manager,
            w,
            efecto,
            (d, p) => scope.publish(d, p),
            { evento: 'workflow.atascado', actor: 'sistema', correlationId: w.correlationId },
            w.venceAt,
          );
      }
      return vencidos.length;
    });
    if (atascados) this.log.warn({ count: atascados }, 'lifecycle workflows flagged stuck');
    return this.messaging.inTransaction(async (scope) => {
      const vencidos = await this.repo.esperasVencidas(scope.manager, EN_ESPERA_CICLO);
      const config = vencidos.length ? await this.config(scope.manager) : undefined;
      for (const w of vencidos) {
        const efecto = vencerEspera(w.state, new Date().toISOString(), config!);
        if (efecto)
          await this.persistir(scope.manager, w, efecto, (d, p) => scope.publish(d, p), {
            evento: 'ciclo.espera-vencida',
            actor: 'sistema',
            correlationId: w.correlationId,
          });
      }
      if (vencidos.length) this.log.log({ count: vencidos.length }, 'grace periods over');
      return vencidos.length;
    });
  }

  private async enTransaccion<T>(
    alumnoId: string,
    actor: string,
    evento: string,
    run: (scope: TransactionScope, origen: Origen) => Promise<T>,
  ): Promise<T> {
    return this.messaging.inTransaction(async (scope) => {
      const w = await this.onboarding.load(scope.manager, alumnoId, true);
      if (!w) throw new NotFoundException(`no hay un alumno ${alumnoId} en Lucy`);
      try {
        return await run(scope, { evento, actor, correlationId: w.correlationId });
      } catch (err) {
        if (err instanceof RechazoCiclo) throw new ConflictException(err.message);
        throw err;
      }
    });
  }

  /** The student as their account knows them, when onboarding gave them one; else why not. */
  private async cuentaDe(
    m: EntityManager,
    alumnoId: string,
  ): Promise<Omit<DatosCiclo, 'anterior' | 'cursos'> | string> {
    const w = await this.onboarding.load(m, alumnoId);
    if (!w?.state.alumno) return 'el alumno no está en Lucy';
    const s = w.state;
    if (s.estado !== 'completado' && s.estado !== 'completado_con_avisos')
      return `su onboarding está ${s.estado}: no tiene una cuenta que mantener`;
    return {
      alumnoId,
      upn: s.upn!,
      graphUserId: (idDe(s.pasos, 'graphUserId') as string | null) ?? null,
      alumno: w.state.alumno!,
    };
  }

  private async empezar(
    m: EntityManager,
    publish: Publish,
    tipo: TipoCiclo['tipo'],
    alumnoId: string,
    motivo: string | null,
    origen: Origen,
    extra: Partial<DatosCiclo>,
  ): Promise<ResultadoCiclo> {
    const cuenta = await this.cuentaDe(m, alumnoId);
    if (typeof cuenta === 'string') {
      if (origen.actor !== 'sistema') throw new RechazoCiclo(cuenta);
      await this.auditar(m, null, alumnoId, { ...origen, detalle: { nota: `${tipo}: nada que hacer (${cuenta})` } });
      return { estado: 'sin_cambios', comandos: [] as string[], nota: cuenta };
    }
    if (tipo === 'actualizacion' && (await this.saliendo(m, alumnoId)))
      return this.auditarSinCambios(m, alumnoId, origen, 'actualización sin efecto: el alumno está dado de baja');
    // A return compares what the student comes back with to what their accounts were given.
    const anterior = tipo === 'retorno' ? cuenta.alumno : extra.anterior;
    const datos: DatosCiclo = { ...cuenta, ...extra, alumno: extra.alumno ?? cuenta.alumno, anterior };
    // Each return is numbered, so its email is sent once however often its step runs (mail-service's key).
    if (tipo === 'retorno') datos.retorno = (await this.repo.contar(m, alumnoId, 'retorno')) + 1;
    const { w, efecto } = iniciar(tipo, datos, motivo, new Date().toISOString(), await this.config(m));
    const row = await this.repo.create(m, w, origen.correlationId, this.venceAt(w));
    await this.persistir(m, row, efecto, publish, origen);
    return {
      workflowId: row.id,
      estado: w.estado,
      comandos: efecto.comandos.map((c) => c.def.name),
      nota: efecto.nota,
    };
  }

  /** A leave, unless one is already open (a second report of the same leaver changes nothing). */
  private async darDeBaja(
    m: EntityManager,
    publish: Publish,
    alumnoId: string,
    motivo: string,
    origen: Origen,
    alumno?: DatosCiclo['alumno'],
  ): Promise<ResultadoCiclo> {
    if (await this.saliendo(m, alumnoId)) {
      if (origen.actor !== 'sistema') throw new RechazoCiclo('el alumno ya está dado de baja');
      return this.auditarSinCambios(m, alumnoId, origen, `baja (${motivo}) ya en curso`);
    }
    return this.empezar(m, publish, 'baja', alumnoId, motivo, origen, alumno ? { alumno } : {});
  }

  /**
   * Back: a suspended leave ends (cancelled, nothing deleted) and a return follows, as after a deletion: the
   * account enabled (or restored, or onboarding again), the Moodle user too, their new data, their email.
   */
  private async retornar(
    m: EntityManager,
    publish: Publish,
    alumnoId: string,
    origen: Origen,
    alumno?: DatosCiclo['alumno'],
  ) {
    const baja = await this.repo.ultimo(m, alumnoId, 'baja');
    if (baja && EN_ESPERA_CICLO.includes(baja.state.estado)) {
      const [abierta] = (await this.repo.abiertos(m, alumnoId)).filter((w) => w.id === baja.id);
      const efecto = cerrarPorRetorno(abierta.state);
      await this.persistir(m, abierta, { ...efecto, nota: `retorno: ${efecto.nota}` }, publish, origen);
      return this.empezar(m, publish, 'retorno', alumnoId, null, origen, alumno ? { alumno } : {});
    }
    if (
      !baja ||
      !TERMINALES_CICLO.includes(baja.state.estado) ||
      baja.state.pasos.eliminar_cuenta?.estado !== 'completado'
    ) {
      if (origen.actor !== 'sistema')
        throw new RechazoCiclo('el alumno no está suspendido ni eliminado: nada que reactivar');
      return this.auditarSinCambios(m, alumnoId, origen, 'retorno sin efecto: el alumno no se había ido');
    }
    return this.empezar(m, publish, 'retorno', alumnoId, null, origen, alumno ? { alumno } : {});
  }

  /** The student has a leave open (being suspended, suspended, or being deleted). */
  private async saliendo(m: EntityManager, alumnoId: string): Promise<boolean> {
    return (await this.repo.abiertos(m, alumnoId)).some((w) => w.state.tipo === 'baja');
  }

  private async persistir(
    m: EntityManager,
    w: CicloRow,
    efecto: EfectoCiclo,
    publish: Publish,
    origen: Origen & { detalle?: unknown },
    venceAt: Date | null = this.venceAt(w.state),
  ) {
    await this.repo.save(m, w, venceAt);
    for (const c of efecto.comandos) publish(c.def, c.payload as never);
    await this.auditar(m, w, w.alumnoId, {
      ...origen,
      detalle: {
        tipo: w.state.tipo,
        nota: efecto.nota,
        estado: w.state.estado,
        comandos: efecto.comandos.map((c) => c.def.name),
      },
    });
    if (w.state.reincorporar && TERMINALES_CICLO.includes(w.state.estado)) {
      // The account is gone for good: the student is onboarded again, as an operator's activar would.
      await this.workflows.reincorporar(m, w.alumnoId, w.state.datos.alumno, publish, origen.actor);
    }
  }

  private async auditarSinCambios(m: EntityManager, alumnoId: string, origen: Origen, nota: string) {
    await this.auditar(m, null, alumnoId, { ...origen, detalle: { nota } });
    return { estado: 'sin_cambios', comandos: [] as string[], nota };
  }

  private auditar(m: EntityManager, w: CicloRow | null, alumnoId: string, o: Origen & { detalle?: unknown }) {
    return this.auditoria.registrar(m, {
      workflowId: w?.id ?? null,
      alumnoId,
      loteId: null,
      evento: o.evento,
      actor: o.actor,
      messageId: o.messageId,
      causationId: o.causationId ?? null,
      correlationId: o.correlationId,
      detalle: o.detalle as Record<string, unknown>,
    });
  }

  /** A waiting phase's end; a running one's deadline to be flagged stuck; none once terminal. */
  private venceAt(s: CicloState): Date | null {
    if (TERMINALES_CICLO.includes(s.estado)) return null;
    if (s.esperaHasta) return new Date(s.esperaHasta);
    return new Date(Date.now() + PLAZO_FASE_MS * this.gateway.WORKFLOW_TIMEOUT_FACTOR);
  }
}
