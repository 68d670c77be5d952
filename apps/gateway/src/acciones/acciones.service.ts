// Operator actions on one student or many. Each student's action runs in its own transaction (its
// workflow row locked, the command queued in the outbox, the audit trail written under the actor's
// name); one student's refusal (no account yet, workflow running, ...) does not stop the others.
// A bulk run is recorded as a tarea with what started and what was refused, and why.
import { HttpException, Injectable } from '@nestjs/common';
import { AprobacionService } from '../alumnos/aprobacion.service.js';
import { ACCIONES_OPERADOR } from '../sagas/onboarding.saga.js';
import { ACCIONES_CICLO } from '../ciclo/ciclo.pasos.js';
import { CicloService } from '../ciclo/ciclo.service.js';
import { WorkflowService } from '../workflows/workflow.service.js';
import { estadoFinal, TareaService, type TipoTarea } from '../tareas/tarea.service.js';

/** A new student waiting for approval (aprobacionNuevos) may be onboarded. */
export const APROBAR = { accion: 'aprobar', etiqueta: 'Aprobar' } as const;

/**
 * The actions an operator may run: onboarding's (activar, a step's retry, desaprovisionar), the lifecycle's,
 * and the approval of a new student who waits.
 */
export const CATALOGO_ACCIONES: readonly { accion: string; etiqueta: string }[] = [
  ...ACCIONES_OPERADOR,
  ...ACCIONES_CICLO,
  APROBAR,
].map(({ accion, etiqueta }) => ({ accion, etiqueta }));
export const ACCIONES = CATALOGO_ACCIONES.map((a) => a.accion) as [string, ...string[]];
export type Accion = string;

export interface Resultado {
  alumnoId: string;
  accion: Accion;
  iniciado: boolean;
  workflowId?: string;
  /** What was sent (commands or events) and the workflow's state after it. */
  comandos?: string[];
  estado?: string;
  nota?: string;
  /** Why it was refused. */
  motivo?: string;
}

export interface Ejecucion {
  tareaId: string | null;
  total: number;
  iniciados: number;
  rechazados: number;
  resultados: Resultado[];
}

@Injectable()
export class AccionesService {
  constructor(
    private readonly workflows: WorkflowService,
    private readonly ciclo: CicloService,
    private readonly aprobaciones: AprobacionService,
    private readonly tareas: TareaService,
  ) {}

  /** One action on one student; refusals surface as their HTTP error (404, 409). */
  async una(accion: Accion, alumnoId: string, actor: string): Promise<Resultado> {
    const r = await this.correr(accion, alumnoId, actor);
    return { alumnoId, accion, iniciado: true, ...r };
  }

  /** Many (student, action) pairs, recorded as one tarea. */
  async varias(
    pares: { alumnoId: string; accion: Accion }[],
    actor: string,
    tarea: { tipo: TipoTarea; loteId?: string; detalle?: Record<string, unknown> },
  ): Promise<Ejecucion> {
    const resultados: Resultado[] = [];
    for (const { alumnoId, accion } of pares) {
      try {
        resultados.push({ alumnoId, accion, iniciado: true, ...(await this.correr(accion, alumnoId, actor)) });
      } catch (err) {
        if (!(err instanceof HttpException) || err.getStatus() >= 500) throw err;
        resultados.push({ alumnoId, accion, iniciado: false, motivo: err.message });
      }
    }
    const iniciados = resultados.filter((r) => r.iniciado).length;
    const rechazados = resultados.length - iniciados;
    const tareaId = await this.tareas.registrar({
      tipo: tarea.tipo,
      actor,
      loteId: tarea.loteId,
      estado: estadoFinal(iniciados, rechazados),
      total: resultados.length,
      exitosos: iniciados,
      fallidos: rechazados,
      detalle: {
        ...(tarea.detalle ?? {}),
        rechazados: resultados
          .filter((r) => !r.iniciado)
          .slice(0, 200)
          .map((r) => ({ alumnoId: r.alumnoId, accion: r.accion, motivo: r.motivo })),
      },
    });
    return { tareaId, total: resultados.length, iniciados, rechazados, resultados };
  }

  private correr(accion: Accion, alumnoId: string, actor: string) {
    if (accion === APROBAR.accion) return this.aprobaciones.aprobar(alumnoId, actor);
    if (accion === 'suspender' || accion === 'reactivar' || accion === 'reintentar-ciclo')
      return this.ciclo.accion(alumnoId, actor, accion);
    return this.workflows.accion(alumnoId, actor, accion);
  }
}
