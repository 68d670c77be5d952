// Applies events and operator actions to onboarding workflows: lock the row, run the saga, save the
// row and its steps, write the audit trail and queue the commands — all in one transaction.
import { Injectable, NotFoundException, ConflictException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AlumnoCreado, EnrolarMoodle, RestablecerPassword, type MessageDefinition } from '@lucy/contracts';
import { MessageContext, MessagingRuntime, type TransactionScope } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { aplicar, desaprovisionar, VENCIMIENTOS_MS, type Efecto } from '../sagas/onboarding.saga.js';
import { nuevoOnboarding, TERMINALES, type OnboardingState } from '../sagas/onboarding.model.js';
import { registrar, sinSecretos } from './auditoria.js';
import { WorkflowRepository, type WorkflowRow } from './workflow.repository.js';

type Publish = (def: MessageDefinition, payload: never) => void;

@Injectable()
export class WorkflowService {
  readonly repo: WorkflowRepository;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly messaging: MessagingRuntime,
  ) {
    this.repo = new WorkflowRepository(config.DB_SCHEMA);
  }

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
    audit: Omit<Parameters<typeof registrar>[2], 'workflowId' | 'alumnoId' | 'loteId'>,
  ) {
    await this.repo.save(m, w, this.venceAt(w.state));
    for (const c of efecto.comandos) publish(c.def, c.payload as never);
    await registrar(m, this.config.DB_SCHEMA, {
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
    if (TERMINALES.includes(s.estado)) return null;
    const ms = VENCIMIENTOS_MS[s.estado];
    return ms ? new Date(Date.now() + ms * this.config.WORKFLOW_TIMEOUT_FACTOR) : null;
  }

  /** Runs an operator action on one student's workflow, audited under the operator's name. */
  private async action(
    alumnoId: string,
    actor: string,
    accion: string,
    run: (w: WorkflowRow, scope: TransactionScope, now: string) => Efecto,
  ): Promise<{ workflowId: string; estado: string; comandos: string[]; nota: string }> {
    return this.messaging.inTransaction(async (scope) => {
      const w = await this.repo.load(scope.manager, alumnoId, true);
      if (!w) throw new NotFoundException(`no hay un workflow para el alumno ${alumnoId}`);
      const efecto = run(w, scope, new Date().toISOString());
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
        evento: accion,
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

  desaprovisionar(alumnoId: string, actor: string) {
    return this.action(alumnoId, actor, 'accion.desaprovisionar', (w, _s, now) => desaprovisionar(w.state, now));
  }

  /** Operator's retry of Moodle (after it was down) or a re-enrolment. */
  enrolarMoodle(alumnoId: string, actor: string) {
    return this.action(alumnoId, actor, 'accion.enrolar-moodle', (w, _s, now) => {
      const s = w.state;
      if (!s.upn || !s.alumno)
        throw new ConflictException('el alumno todavía no tiene cuenta: no se lo puede enrolar en Moodle');
      if (s.estado === 'compensando' || s.estado === 'compensado')
        throw new ConflictException(`el workflow está ${s.estado}`);
      Object.assign(s.pasos.moodle, {
        estado: 'en_curso',
        finishedAt: null,
        startedAt: s.pasos.moodle.startedAt ?? now,
      });
      s.estado = 'enrolando_y_notificando';
      return {
        comandos: [{ def: EnrolarMoodle, payload: { alumnoId: s.alumnoId, upn: s.upn, alumno: s.alumno } }],
        nota: 'reintento de Moodle pedido por un operador',
      };
    });
  }

  /** A new temporary password and the credentials emailed again. */
  restablecerPassword(alumnoId: string, actor: string) {
    return this.action(alumnoId, actor, 'accion.restablecer-password', (w) => {
      const s = w.state;
      if (!s.upn || !s.alumno) throw new ConflictException('el alumno todavía no tiene cuenta');
      if (s.estado === 'compensando' || s.estado === 'compensado')
        throw new ConflictException(`el workflow está ${s.estado}`);
      return {
        comandos: [
          {
            def: RestablecerPassword,
            payload: { alumnoId: s.alumnoId, upn: s.upn, graphUserId: s.graphUserId, alumno: s.alumno },
          },
        ],
        nota: 'restablecimiento de contraseña pedido por un operador',
      };
    });
  }

  /**
   * Runs the onboarding again for a student whose workflow failed or was undone: a fresh workflow (same
   * row, steps reset) and the student's AlumnoCreado published again with the data the gateway last
   * heard. teams-service treats a new AlumnoCreado as "this student is coming in": it finds the account
   * by UPN or creates it, enables it and issues a new password; the rest of the flow follows as usual.
   *
   * Why the gateway re-publishes ingest-service's event instead of asking ingest-service to: the student's
   * data travels with every event (event-carried state), so the gateway holds the same copy ingest would
   * send; asking ingest would take a new command, a handler there and a reply for an unknown student,
   * for no difference in what teams-service receives.
   */
  activar(alumnoId: string, actor: string) {
    return this.action(alumnoId, actor, 'accion.activar', (w, _s, now) => {
      const s = w.state;
      if (!s.alumno)
        throw new ConflictException(
          'el gateway todavía no recibió los datos del alumno: esperá a que ingest lo libere',
        );
      if (s.estado === 'completado' || s.estado === 'completado_con_avisos') {
        throw new ConflictException(
          `el alumno ya está ${s.estado}: para reenviar sus credenciales usá reenviar-credenciales; para Moodle, enrolar-moodle`,
        );
      }
      if (!TERMINALES.includes(s.estado))
        throw new ConflictException(`el workflow está ${s.estado}: esperá a que termine`);
      // An account the failure left is being deleted: a new onboarding now could adopt it just before the
      // delete lands. Once the undo has answered (deleted, or failed and waiting), the retry may start:
      // teams-service finds the account if it is still there and reuses it, and the pending undo is dropped.
      if (s.pasos.eliminar_cuenta.estado === 'en_curso')
        throw new ConflictException(
          `se está eliminando la cuenta ${s.upn ?? ''} que dejó el fallo: esperá a que termine`,
        );
      const previo = s.estado;
      const nuevo = nuevoOnboarding(alumnoId);
      Object.assign(nuevo, { alumno: s.alumno, loteId: s.loteId });
      Object.assign(nuevo.pasos.cuenta, { estado: 'en_curso', startedAt: now });
      w.state = nuevo;
      return {
        comandos: [{ def: AlumnoCreado, payload: { alumnoId, loteId: s.loteId, alumno: s.alumno } }],
        nota: `onboarding iniciado de nuevo por un operador (estaba ${previo})`,
      };
    });
  }
}
