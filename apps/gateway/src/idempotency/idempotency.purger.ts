// Expired keys are deleted every IDEMPOTENCY_PURGE_INTERVAL_MS by every replica (a DELETE is safe to run
// twice), in the Sweeper's manner: one run at a time, awaited on shutdown.
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectConfig } from '@lucy/platform';
import { IdempotencyStore } from './idempotency.store.js';

@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Idempotency');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @InjectConfig() private readonly config: { IDEMPOTENCY_PURGE_INTERVAL_MS: number },
    private readonly store: IdempotencyStore,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.purge()
        .then(() => undefined)
        .catch((err) => this.log.warn({ err: (err as Error).message }, 'purging expired idempotency keys failed'))
        .finally(() => (this.running = undefined));
    }, this.config.IDEMPOTENCY_PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async purge(): Promise<number> {
    const n = await this.store.purge();
    if (n) this.log.log({ n }, 'expired idempotency keys deleted');
    return n;
  }
}
