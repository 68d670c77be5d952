// Periodic housekeeping of the sagas, safe with several gateway replicas (SKIP LOCKED). Every change it
// makes is a saga transition (sagas/onboarding.saga.ts), saved and audited by WorkflowService:
// - a workflow whose non-critical steps are overdue completes with a warning (vencerPasosNoCriticos);
// - any other workflow past its deadline is flagged stuck, once, in its audit trail (marcarAtascado);
// - an undo step that failed is sent again after a growing delay, so a compensation is never dropped
//   (that of an account a failed onboarding left included: its workflow stays fallido meanwhile);
// - the lifecycle's turn (CicloService.sweep): a leaver whose grace is over is deleted, and a lifecycle
//   workflow waiting for answers past its deadline is flagged stuck like an onboarding one (never a leaver
//   waiting out their grace: that wait is on purpose).
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig, PeriodicTask } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import {
  MAX_INTENTOS_COMPENSACION,
  marcarAtascado,
  PASOS_DESHACER,
  reintentarDeshacer,
  vencerPasosNoCriticos,
} from '../sagas/onboarding.saga.js';
import type { Paso } from '../sagas/onboarding.model.js';
import { WorkflowRepository } from '../workflows/workflow.repository.js';
import { WorkflowService } from '../workflows/workflow.service.js';
import { CicloService } from '../ciclo/ciclo.service.js';

/** 5 s, 10 s, 20 s, ... up to 5 min between undo attempts (scaled like the step timeouts). */
export const esperaReintento = (intentos: number, factor = 1) =>
  Math.min(5_000 * 2 ** Math.max(0, intentos - 1), 300_000) * factor;

@Injectable()
export class Sweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Sweeper');
  private readonly task: PeriodicTask;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly messaging: MessagingRuntime,
    private readonly repo: WorkflowRepository,
    private readonly workflows: WorkflowService,
    private readonly ciclo: CicloService,
  ) {
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
    await this.ciclo.sweep();
  }

  private async expireNonCritical(): Promise<void> {
    await this.messaging.inTransaction(async (scope) => {
      const due = await this.repo.lockDue(
        scope.manager,
        `w.estado = 'enrolando_y_notificando' AND w.vence_at < now()`,
        [],
      );
      for (const w of due) await this.workflows.transicion(scope, w, 'workflow.plazo-vencido', vencerPasosNoCriticos);
    });
  }

  private async flagStuck(): Promise<void> {
    const flagged = await this.messaging.inTransaction(async (scope) => {
      const due = await this.repo.lockDue(scope.manager, `w.vence_at < now() AND NOT w.atascado`, []);
      for (const w of due)
        await this.workflows.transicion(scope, w, 'workflow.atascado', marcarAtascado, { mismoPlazo: true });
      return due.length;
    });
    if (flagged) this.log.warn({ count: flagged }, 'workflows flagged stuck');
  }

  private async retryUndos(): Promise<void> {
    const due = await this.messaging.inTransaction(({ manager }) =>
      this.repo.failedSteps(manager, PASOS_DESHACER, ['compensando', 'fallido'], MAX_INTENTOS_COMPENSACION),
    );
    for (const d of due) {
      if (Date.now() - d.finishedAt.getTime() < esperaReintento(d.intentos, this.config.WORKFLOW_TIMEOUT_FACTOR))
        continue;
      await this.messaging.inTransaction(async (scope) => {
        // Re-checked under the lock by the saga: someone else got there first, a retry adopted the account,
        // or another failure was recorded since the list was read (never a send past the limit).
        const w = await this.repo.load(scope.manager, d.alumnoId, true);
        if (!w) return;
        await this.workflows.transicion(
          scope,
          w,
          'compensacion.reintento',
          (s, now) => reintentarDeshacer(s, d.paso as Paso, d.intentos, now),
          { detalle: { paso: d.paso, intento: d.intentos + 1 } },
        );
      });
    }
  }
}
