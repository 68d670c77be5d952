// The reconciliation's housekeeping, every SWEEP_INTERVAL_MS like the sweeper's: a run past its deadline
// fails, and a finished run started with reparar: true gets its repair. Several gateway replicas may run it
// (SKIP LOCKED for the deadlines; each difference records the workflow that repairs it, so none gets two).
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectConfig, PeriodicTask } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { ReconciliacionService } from './reconciliacion.service.js';

@Injectable()
export class ReconciliacionTareas implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Reconciliacion');
  private readonly task: PeriodicTask;

  constructor(
    @InjectConfig() config: GatewayConfig,
    private readonly reconciliaciones: ReconciliacionService,
  ) {
    this.task = new PeriodicTask({
      name: 'Reconciliacion',
      everyMs: config.SWEEP_INTERVAL_MS,
      run: () => this.correr(),
      onError: (err) => this.log.warn({ err: (err as Error).message }, 'reconciliation housekeeping failed'),
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  async correr(): Promise<void> {
    const vencidas = await this.reconciliaciones.vencer();
    if (vencidas) this.log.warn({ count: vencidas }, 'reconciliations past their deadline failed');
    await this.reconciliaciones.repararPendientes();
  }
}
