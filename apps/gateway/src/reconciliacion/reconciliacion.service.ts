// Reconciliation runs: started by an operator (or a scheduled job, through iniciar), answered by each owning
// service, repaired on demand. The gateway decides what each student's accounts must be (esperados.ts: it
// runs every workflow of their stay) and sends it with the run; teams-service and moodle-service compare it,
// and their own registries, with Entra and Moodle and report the differences. A repair starts one lifecycle
// workflow per student (`reparacion`, ciclo.pasos.ts), with its steps, audit and retries; orphans are never
// touched.
import { randomUUID } from 'node:crypto';
import { ConflictException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import {
  AlumnoEsperado,
  ReconciliarCuentas,
  ReconciliarMoodle,
  SISTEMAS_RECONCILIACION,
  type DiferenciasEncontradas,
  type ReconciliacionParcialFallida,
  type ReconciliacionParcialTerminada,
} from '@lucy/contracts';
import { MessagingRuntime, type TransactionScope } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { AlertasService } from '../alertas/alertas.service.js';
import { CicloService } from '../ciclo/ciclo.service.js';
import { esperados } from './esperados.js';
import { planDeReparacion, type ReparacionAlumno, type SinReparar } from './plan-reparacion.js';
import { ReconciliacionRepository, type ReconciliacionRow } from './reconciliacion.repository.js';

/** How long the services have to answer (scaled by WORKFLOW_TIMEOUT_FACTOR): a round over 40,000 users fits. */
const PLAZO_MS = 30 * 60_000;

export interface ResultadoReparacion {
  id: string;
  simulacion: boolean;
  iniciados: number;
  rechazados: number;
  /** Students whose repair workflow had already been started (by an earlier request for this run). */
  yaIniciados: number;
  alumnos: (ReparacionAlumno & { iniciado?: boolean; workflowId?: string; motivo?: string })[];
  sinReparar: SinReparar[];
}

@Injectable()
export class ReconciliacionService {
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly messaging: MessagingRuntime,
    private readonly repo: ReconciliacionRepository,
    private readonly ciclo: CicloService,
    private readonly alertas: AlertasService,
  ) {}

  /**
   * Starts a run: the expected state of every settled student, sent to teams-service and moodle-service.
   * `reparar`: once every service answered, the repair starts by itself (unless `simular`: then the run only
   * shows what the repair would do). What the scheduled job calls.
   */
  iniciar(actor: string, opciones: { reparar: boolean; simular?: boolean }): Promise<{ id: string }> {
    return this.messaging.inTransaction(async (scope) => {
      const { onboardings, ciclos } = await this.repo.workflows(scope.manager);
      // A student stored before a stricter check cannot be sent as is; they are left out of the run.
      const alumnos = esperados(onboardings, ciclos).filter((a) => AlumnoEsperado.safeParse(a).success);
      const id = randomUUID();
      await this.repo.crear(scope.manager, {
        id,
        estado: 'en_curso',
        actor,
        reparar: opciones.reparar,
        simular: opciones.simular ?? false,
        alumnos: alumnos.length,
        sistemas: { entra: { estado: 'pendiente' }, moodle: { estado: 'pendiente' } },
        venceAt: new Date(Date.now() + PLAZO_MS * this.config.WORKFLOW_TIMEOUT_FACTOR),
      });
      scope.publish(ReconciliarCuentas, { reconciliacionId: id, alumnos });
      scope.publish(ReconciliarMoodle, { reconciliacionId: id, alumnos });
      return { id };
    });
  }

  // Each answer is applied in the handler's transaction (`scope`: its manager and outbox), so a run that
  // ends here ends with its alert (alertas/alertas.service.ts) or not at all.
  async onDiferencias(scope: TransactionScope, e: DiferenciasEncontradas): Promise<void> {
    const r = await this.repo.leer(scope.manager, e.reconciliacionId, true);
    if (!r || r.estado !== 'en_curso') return;
    await this.repo.agregarItems(scope.manager, r.id, e.sistema, e.parte, e.diferencias);
    await this.comprobar(scope, r);
  }

  async onTerminada(scope: TransactionScope, e: ReconciliacionParcialTerminada): Promise<void> {
    const r = await this.repo.leer(scope.manager, e.reconciliacionId, true);
    if (!r || r.estado !== 'en_curso') return;
    const { partes, diferencias, revisados, completa } = e;
    r.sistemas[e.sistema] = { estado: 'terminada', partes, diferencias, revisados, completa };
    await this.comprobar(scope, r);
  }

  async onFallida(scope: TransactionScope, e: ReconciliacionParcialFallida): Promise<void> {
    const r = await this.repo.leer(scope.manager, e.reconciliacionId, true);
    if (!r || r.estado !== 'en_curso') return;
    r.sistemas[e.sistema] = { estado: 'fallida', motivo: e.motivo };
    await this.fallar(scope, r, `${e.sistema}: ${e.motivo}`);
  }

  private async fallar(scope: TransactionScope, r: ReconciliacionRow, error: string): Promise<void> {
    r.estado = 'fallida';
    r.error = error;
    await this.repo.guardar(scope.manager, r);
    await this.alertas.registrar(scope, {
      tipo: 'reconciliacion',
      reconciliacionId: r.id,
      estado: 'fallida',
      error,
      diferencias: 0,
      porTipo: {},
    });
  }

  /** Terminada once every system said it is done and every difference it announced has arrived. */
  private async comprobar(scope: TransactionScope, r: ReconciliacionRow): Promise<void> {
    const m = scope.manager;
    if (SISTEMAS_RECONCILIACION.every((s) => r.sistemas[s].estado === 'terminada')) {
      const llegadas = await this.repo.contarPorSistema(m, r.id);
      if (SISTEMAS_RECONCILIACION.every((s) => (llegadas[s] ?? 0) === r.sistemas[s].diferencias)) {
        r.estado = 'terminada';
        if (r.reparar && !r.simular) r.reparacion = 'pendiente';
      }
    }
    await this.repo.guardar(m, r);
    if (r.estado !== 'terminada') return;
    const porTipo = await this.repo.porTipo(m, r.id);
    await this.alertas.registrar(scope, {
      tipo: 'reconciliacion',
      reconciliacionId: r.id,
      estado: 'terminada',
      diferencias: Object.values(porTipo).reduce((a, b) => a + b, 0),
      porTipo,
    });
  }

  /**
   * Runs past their deadline with an answer missing fail: each system that did not answer (or whose announced
   * differences did not all arrive) is marked fallida with why, and the run's error names them.
   */
  vencer(): Promise<number> {
    return this.messaging.inTransaction(async (scope) => {
      const vencidas = await this.repo.vencidas(scope.manager);
      for (const r of vencidas) {
        const llegadas = await this.repo.contarPorSistema(scope.manager, r.id);
        const motivos: string[] = [];
        for (const s of SISTEMAS_RECONCILIACION) {
          const sistema = r.sistemas[s];
          const motivo =
            sistema.estado !== 'terminada'
              ? 'sin respuesta a tiempo'
              : (llegadas[s] ?? 0) !== sistema.diferencias
                ? `llegaron ${llegadas[s] ?? 0} de las ${sistema.diferencias} diferencias anunciadas`
                : null;
          if (!motivo) continue;
          r.sistemas[s] = { ...sistema, estado: 'fallida', motivo };
          motivos.push(`${s}: ${motivo}`);
        }
        await this.fallar(scope, r, `venció el plazo — ${motivos.join('; ') || 'sin respuesta a tiempo'}`);
      }
      return vencidas.length;
    });
  }

  /** Repairs of runs started with reparar: true that have finished (or whose repair stopped half-way). */
  async repararPendientes(): Promise<number> {
    const ids = await this.messaging.inTransaction((scope) => this.repo.reparacionesPendientes(scope.manager));
    for (const id of ids) {
      const r = await this.messaging.inTransaction((scope) => this.repo.leer(scope.manager, id));
      if (r) await this.reparar(id, r.actor, false).catch(() => undefined);
    }
    return ids.length;
  }

  /**
   * The repair of a finished run, item by item: `simular` shows which workflow each student would get and
   * what is left alone; otherwise each student's workflow starts, and the items it repairs record it in the
   * transaction that creates it (one refused — a workflow already running, say — does not stop the others).
   * Asked again (a retry, a repair cut short, a student refused before) it goes on with the items no
   * workflow repairs yet: an item never gets a second workflow.
   */
  async reparar(id: string, actor: string, simular: boolean): Promise<ResultadoReparacion> {
    const { items, yaIniciados, suspendidos } = await this.messaging.inTransaction(async (scope) => {
      const r = await this.repo.leer(scope.manager, id);
      if (!r) throw new NotFoundException(`no hay una reconciliación ${id}`);
      if (r.estado !== 'terminada')
        throw new ConflictException(`la reconciliación está ${r.estado}: solo se repara una terminada`);
      const items = await this.repo.sinWorkflow(scope.manager, id);
      const alumnoIds = [...new Set(items.map((i) => i.alumnoId).filter((a): a is string => a !== null))];
      return {
        items,
        yaIniciados: await this.repo.alumnosConWorkflow(scope.manager, id),
        suspendidos: await this.repo.suspendidos(scope.manager, alumnoIds),
      };
    });
    const plan = planDeReparacion(items, suspendidos);
    if (simular) return { id, simulacion: true, iniciados: 0, rechazados: 0, yaIniciados, ...plan };
    const alumnos: ResultadoReparacion['alumnos'] = [];
    let otros = 0;
    for (const a of plan.alumnos) {
      try {
        const res = await this.ciclo.reparar(a.alumnoId, actor, a.reparar, a.cursos, async (m, workflowId) => {
          if (!(await this.repo.marcarWorkflow(m, id, a.items, workflowId))) throw new YaReparado();
        });
        alumnos.push({ ...a, iniciado: true, workflowId: res.workflowId });
      } catch (err) {
        // Another request for this run (a retry racing this one) started the student's workflow first.
        if (err instanceof YaReparado || (await this.yaReparados(id, a.items))) {
          otros++;
          continue;
        }
        if (!(err instanceof HttpException) || err.getStatus() >= 500) throw err;
        alumnos.push({ ...a, iniciado: false, motivo: err.message });
      }
    }
    const iniciados = alumnos.filter((a) => a.iniciado).length;
    const resultado: ResultadoReparacion = {
      id,
      simulacion: false,
      iniciados,
      rechazados: alumnos.length - iniciados,
      yaIniciados: yaIniciados + otros,
      alumnos,
      sinReparar: plan.sinReparar,
    };
    await this.messaging.inTransaction(async (scope) => {
      const actual = (await this.repo.leer(scope.manager, id, true))!;
      actual.reparacion = 'iniciada';
      // A repeat that found nothing left keeps the report of the one that did the work.
      if (alumnos.length || !actual.resultadoReparacion)
        actual.resultadoReparacion = { actor, at: new Date().toISOString(), ...resultado };
      await this.repo.guardar(scope.manager, actual);
    });
    return resultado;
  }

  private yaReparados(id: string, claves: readonly string[]): Promise<boolean> {
    return this.messaging.inTransaction(
      async (scope) => (await this.repo.conWorkflow(scope.manager, id, claves)) === claves.length,
    );
  }
}

/** The student's items got their workflow from another request meanwhile: this one starts none. */
class YaReparado extends Error {}
