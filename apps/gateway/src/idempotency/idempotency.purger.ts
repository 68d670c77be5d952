// Expired keys are deleted every IDEMPOTENCY_PURGE_INTERVAL_MS by every replica (a DELETE is safe to run
// twice): one run at a time, awaited on shutdown (PeriodicTask).
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectConfig, PeriodicTask } from '@lucy/platform';
import { IdempotencyStore } from './idempotency.store.js';

@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Idempotency');
  private readonly task: PeriodicTask;

  constructor(
    @InjectConfig() config: { IDEMPOTENCY_PURGE_INTERVAL_MS: number },
    private readonly store: IdempotencyStore,
  ) {
    this.task = new PeriodicTask({
      name: 'Idempotency',
      everyMs: config.IDEMPOTENCY_PURGE_INTERVAL_MS,
      run: () => this.purge(),
      onError: (err) => this.log.warn({ err: (err as Error).message }, 'purging expired idempotency keys failed'),
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  async purge(): Promise<number> {
    const n = await this.store.purge();
    if (n) this.log.log({ n }, 'expired idempotency keys deleted');
    return n;
  }
}
