// The window's safety net, run by every replica every BATCH_SWEEP_MS: a lote whose replies were lost
// (or whose release a crash interrupted) moves on once BATCH_RELEASE_TIMEOUT_MS have passed. A lote
// another replica is sweeping or releasing is skipped (SKIP LOCKED), not waited for.
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig, PeriodicTask } from '@lucy/platform';
import type { IngestConfig } from '../config.js';
import { LoteRepository } from '../persistence/lote.repository.js';
import { LiberacionService } from './liberacion.service.js';

@Injectable()
export class LiberacionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('LiberacionSweeper');
  private readonly task: PeriodicTask;

  constructor(
    @InjectConfig() config: IngestConfig,
    private readonly dataSource: DataSource,
    private readonly runtime: MessagingRuntime,
    private readonly lotes: LoteRepository,
    private readonly liberacion: LiberacionService,
  ) {
    // BATCH_SWEEP_MS 0: no sweep (PeriodicTask schedules nothing).
    this.task = new PeriodicTask({
      name: 'LiberacionSweeper',
      everyMs: config.BATCH_SWEEP_MS,
      run: () => this.barrer(),
      onError: (err) => this.log.warn({ msg: 'sweep failed; next round retries', err: String(err) }),
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One round over the lotes in progress. */
  async barrer(): Promise<void> {
    for (const { id, correlationId } of await this.lotes.enCurso(this.dataSource.manager)) {
      await this.runtime.inTransaction(
        async ({ manager, publish }) => {
          const lote = await this.lotes.bloquear(manager, id, { saltar: true });
          if (lote?.estado === 'en_curso') await this.liberacion.liberar(manager, id, publish);
        },
        { correlationId, causationId: null },
      );
    }
  }
}
