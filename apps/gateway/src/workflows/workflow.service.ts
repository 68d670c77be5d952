// Applies events and operator actions to onboarding workflows: lock the row, run the saga, save the
// row and its steps, write the audit trail and queue the commands — all in one transaction. What an
// event or an action does to the workflow is the saga's (sagas/onboarding.saga.ts); this is the plumbing.
import { Injectable, NotFoundException, ConflictException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlumnoDatos, MessageDefinition } from '@lucy/contracts';
import { MessageContext, MessagingRuntime, type TransactionScope } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { activar, aplicar, ejecutarAccion, plazoMs, Rechazo, type Efecto } from '../sagas/onboarding.saga.js';
import type { OnboardingState } from '../sagas/onboarding.model.js';
import { sinSecretos, type Asiento } from './auditoria.js';
import { AuditoriaRepository } from './auditoria.repository.js';
import { WorkflowRepository, type WorkflowRow } from './workflow.repository.js';

type Publish = (def: MessageDefinition, payload: never) => void;

@Injectable()
export class WorkflowService {
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly auditoria: AuditoriaRepository,
    private readonly messaging: MessagingRuntime,
    readonly repo: WorkflowRepository,
  ) {}

  /** A saga event arrived: settle its step, derive the state, send what comes next. */
  async onEvent(def: MessageDefinition, payload: { alumnoId: string }, ctx: MessageContext): Promise<void> {
    const w = await this.repo.lockOrCreate(ctx.manager, payload.alumnoId, ctx.correlationId);
    const now = new Date().toISOString();
    const efecto = aplicar(w.state, def, payload, now);
    await this.persist(ctx.manager, w, efecto, (d, p) => ctx.publish(d, p), {
      evento: def.name,
      actor: 'sistema',
      messageId: ctx.envelope.messageId,
      causationId: ctx.envelope.causationId,
      correlationId: ctx.correlationId,
      detalle: sinSecretos(payload),
    });
  }

  private async persist(
    m: EntityManager,
    w: WorkflowRow,
    efecto: Efecto,
    publish: Publish,
    audit: Omit<Asiento, 'workflowId' | 'alumnoId' | 'loteId'>,
    venceAt: Date | null = this.venceAt(w.state),
  ) {
    await this.repo.save(m, w, venceAt);
    for (const c of efecto.comandos) publish(c.def, c.payload as never);
    await this.auditoria.registrar(m, {
      ...audit,
      workflowId: w.id,
      alumnoId: w.state.alumnoId,
      loteId: w.state.loteId,
      detalle: {
        ...(audit.detalle ?? {}),
        nota: efecto.nota,
        estado: w.state.estado,
        comandos: efecto.comandos.map((c) => c.def.name),
      },
    });
  }

  private venceAt(s: OnboardingState): Date | null {
    const ms = plazoMs(s);
    return ms ? new Date(Date.now() + ms * this.config.WORKFLOW_TIMEOUT_FACTOR) : null;
  }

  /**
   * A transition the system runs on a locked workflow (the sweeper's: a deadline passed, an undo sent
   * again): the saga's `paso` says what changes, or null for nothing; saved and audited like an event.
   * `mismoPlazo` keeps the deadline as it was (flagging a workflow stuck does not give it more time).
   */
  async transicion(
    scope: TransactionScope,
    w: WorkflowRow,
    evento: string,
    paso: (s: OnboardingState, now: string) => Efecto | null,
    opts: { mismoPlazo?: boolean; detalle?: Record<string, unknown> } = {},
  ): Promise<boolean> {
    const efecto = paso(w.state, new Date().toISOString());
    if (!efecto) return false;
    await this.persist(
      scope.manager,
      w,
      efecto,
      (d, p) => scope.publish(d, p),
      { evento, actor: 'sistema', correlationId: w.correlationId, detalle: opts.detalle },
      opts.mismoPlazo ? w.venceAt : undefined,
    );
    return true;
  }

  /**
   * Runs an operator action (the saga's ACCIONES_OPERADOR) on one student's workflow, audited under the
   * operator's name; a refusal is a 409 with the saga's reason, and nothing is written.
   */
  accion(
    alumnoId: string,
    actor: string,
    accion: string,
  ): Promise<{ workflowId: string; estado: string; comandos: string[]; nota: string }> {
    return this.messaging.inTransaction(async (scope) => {
      const w = await this.repo.load(scope.manager, alumnoId, true);
      if (!w) throw new NotFoundException(`no hay un workflow para el alumno ${alumnoId}`);
      let efecto: Efecto;
      try {
        efecto = ejecutarAccion(w.state, accion, new Date().toISOString());
      } catch (err) {
        if (err instanceof Rechazo) throw new ConflictException(err.message);
        throw err;
      }
      // A student stored before a stricter check (a DNI of zeros, say) cannot be sent again as it is: the
      // operator is told why, and nothing is written, instead of the publish failing as a server error.
      for (const c of efecto.comandos) {
        const r = c.def.schema.safeParse(c.payload);
        if (!r.success) {
          const campos = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
          throw new ConflictException(
            `los datos guardados del alumno no pasan las validaciones actuales (${campos}): corregilos en el origen y volvé a importarlo`,
          );
        }
      }
      await this.persist(scope.manager, w, efecto, (d, p) => scope.publish(d, p), {
        evento: `accion.${accion}`,
        actor,
        correlationId: w.correlationId,
      });
      return {
        workflowId: w.id,
        estado: w.state.estado,
        comandos: efecto.comandos.map((c) => c.def.name),
        nota: efecto.nota,
      };
    });
  }

  /**
   * A returning student's account is gone for good (the lifecycle's retorno found it): their onboarding
   * runs again with their latest data, in the caller's transaction.
   */
  async reincorporar(m: EntityManager, alumnoId: string, alumno: AlumnoDatos, publish: Publish, actor: string) {
    const w = await this.repo.load(m, alumnoId, true);
    if (!w) throw new NotFoundException(`no hay un workflow para el alumno ${alumnoId}`);
    w.state.alumno = alumno;
    const efecto = activar(w.state, new Date().toISOString(), { cuentaPerdida: true });
    await this.persist(m, w, efecto, publish, {
      evento: 'ciclo.reincorporacion',
      actor,
      correlationId: w.correlationId,
    });
  }
}
