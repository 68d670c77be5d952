// Periodic housekeeping of the sagas, safe with several gateway replicas (SKIP LOCKED):
// - a workflow whose Moodle or email answer is overdue completes with a warning (not critical steps);
// - any other workflow past its step's deadline is flagged stuck, once, in its audit trail;
// - an undo step that failed is sent again after a growing delay, so a compensation is never dropped
//   (that of an account a failed onboarding left included: its workflow stays fallido meanwhile).
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig, PeriodicTask } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import {
  comandoDeshacer,
  cuentaDejada,
  MAX_INTENTOS_COMPENSACION,
  vencerPasosNoCriticos,
} from '../sagas/onboarding.saga.js';
import type { Paso } from '../sagas/onboarding.model.js';
import { registrar } from '../workflows/auditoria.js';
import { WorkflowRepository } from '../workflows/workflow.repository.js';

/** 5 s, 10 s, 20 s, ... up to 5 min between undo attempts (scaled like the step timeouts). */
export const esperaReintento = (intentos: number, factor = 1) =>
  Math.min(5_000 * 2 ** Math.max(0, intentos - 1), 300_000) * factor;

@Injectable()
export class Sweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Sweeper');
  private readonly task: PeriodicTask;
  private readonly s: string;
  private readonly repo: WorkflowRepository;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly messaging: MessagingRuntime,
  ) {
    this.s = `"${config.DB_SCHEMA}"`;
    this.repo = new WorkflowRepository(config.DB_SCHEMA);
    this.task = new PeriodicTask({
      name: 'Sweeper',
      everyMs: config.SWEEP_INTERVAL_MS,
      run: () => this.sweep(),
      onError: (err) => this.log.warn({ err: (err as Error).message }, 'sweep failed'),
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  async sweep(): Promise<void> {
    await this.expireNonCritical();
    await this.flagStuck();
    await this.retryUndos();
  }

  private async expireNonCritical(): Promise<void> {
    await this.messaging.inTransaction(async ({ manager }) => {
      const due: { alumno_id: string }[] = await manager.query(
        `SELECT alumno_id FROM ${this.s}.workflow WHERE estado = 'enrolando_y_notificando' AND vence_at < now() ORDER BY vence_at LIMIT 200 FOR UPDATE SKIP LOCKED`,
      );
      for (const d of due) {
        const w = (await this.repo.load(manager, d.alumno_id))!;
        const efecto = vencerPasosNoCriticos(w.state, new Date().toISOString());
        await this.repo.save(manager, w, null);
        await registrar(manager, this.config.DB_SCHEMA, {
          workflowId: w.id,
          alumnoId: d.alumno_id,
          loteId: w.state.loteId,
          evento: 'workflow.plazo-vencido',
          actor: 'sistema',
          correlationId: w.correlationId,
          detalle: { nota: efecto.nota, estado: w.state.estado },
        });
      }
    });
  }

  private async flagStuck(): Promise<void> {
    await this.messaging.inTransaction(async ({ manager }) => {
      // TypeORM answers an UPDATE ... RETURNING with [rows, rowCount].
      const [stuck]: [
        { id: string; alumno_id: string; lote_id: string | null; estado: string; correlation_id: string }[],
        number,
      ] = await manager.query(
        `UPDATE ${this.s}.workflow SET atascado = true, updated_at = now()
          WHERE id IN (SELECT id FROM ${this.s}.workflow WHERE vence_at < now() AND NOT atascado FOR UPDATE SKIP LOCKED)
          RETURNING id, alumno_id, lote_id, estado, correlation_id`,
      );
      for (const w of stuck) {
        await registrar(manager, this.config.DB_SCHEMA, {
          workflowId: w.id,
          alumnoId: w.alumno_id,
          loteId: w.lote_id,
          evento: 'workflow.atascado',
          actor: 'sistema',
          correlationId: w.correlation_id,
          detalle: { nota: `sin avances en ${w.estado} dentro del plazo`, estado: w.estado },
        });
      }
      if (stuck.length) this.log.warn({ count: stuck.length }, 'workflows flagged stuck');
    });
  }

  private async retryUndos(): Promise<void> {
    const due: { alumno_id: string; paso: Paso; intentos: number; finished_at: Date }[] =
      await this.messaging.inTransaction(async ({ manager }) =>
        manager.query(
          `SELECT w.alumno_id, p.paso, p.intentos, p.finished_at FROM ${this.s}.workflow w JOIN ${this.s}.workflow_paso p ON p.workflow_id = w.id
          WHERE (w.estado = 'compensando' OR (w.estado = 'fallido' AND p.paso = 'eliminar_cuenta')) AND p.estado = 'fallido' AND p.paso IN ('desenrolar_moodle', 'eliminar_cuenta') AND p.intentos < $1`,
          [MAX_INTENTOS_COMPENSACION],
        ),
      );
    for (const d of due) {
      if (Date.now() - d.finished_at.getTime() < esperaReintento(d.intentos, this.config.WORKFLOW_TIMEOUT_FACTOR))
        continue;
      await this.messaging.inTransaction(async ({ manager, publish }) => {
        const w = await this.repo.load(manager, d.alumno_id, true);
        const step = w?.state.pasos[d.paso];
        const vigente =
          w?.state.estado === 'compensando' ||
          (w?.state.estado === 'fallido' && d.paso === 'eliminar_cuenta' && cuentaDejada(w.state));
        // Someone else got there first, a retry adopted the account, or another failure was recorded since the
        // list was read (the last one gives up: re-checked under the lock, never a send past the limit).
        if (!w || !vigente || step?.estado !== 'fallido' || step.intentos !== d.intentos) return;
        Object.assign(step, { estado: 'en_curso', finishedAt: null });
        const cmd = comandoDeshacer(w.state, d.paso);
        publish(cmd.def, cmd.payload as never);
        await this.repo.save(manager, w, new Date(Date.now() + 30 * 60_000 * this.config.WORKFLOW_TIMEOUT_FACTOR));
        await registrar(manager, this.config.DB_SCHEMA, {
          workflowId: w.id,
          alumnoId: d.alumno_id,
          loteId: w.state.loteId,
          evento: 'compensacion.reintento',
          actor: 'sistema',
          correlationId: w.correlationId,
          detalle: { paso: d.paso, intento: d.intentos + 1 },
        });
      });
    }
  }
}
