// What a breaker's state means for the service's queues, and who hears of it: while open, the queues
// that need the dependency are paused (messages wait in RabbitMQ, their retry budget untouched); in
// half-open they are resumed only if the first message must be the probe; closed, they are resumed.
// Every change is published as BreakerCambiado.
import type { Logger } from 'pino';
import { BreakerCambiado } from '@lucy/contracts';
import type { MessagingRuntime } from '@lucy/messaging';
import type { DependencyGuard } from '../guard/dependency-guard.js';
import type { BreakerState } from './breaker.js';

export type QueueRuntime = Pick<MessagingRuntime, 'pause' | 'resume' | 'publish'>;

export interface BreakerQueuesOptions {
  service: string;
  queues: string[];
  log?: Logger;
}

export class BreakerQueues {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly guard: DependencyGuard,
    private readonly runtime: QueueRuntime,
    private readonly opts: BreakerQueuesOptions,
  ) {
    guard.onStateChange((state, reason) => {
      // In order, one at a time: open → half-open → closed can follow each other within milliseconds.
      this.chain = this.chain.then(() => this.apply(state, reason)).catch(() => undefined);
    });
  }

  /** Resolves when every state change so far has been applied (tests, shutdown). */
  settled(): Promise<void> {
    return this.chain;
  }

  private async apply(state: BreakerState, reason: string | undefined): Promise<void> {
    const consume = state === 'closed' || (state === 'half-open' && !this.guard.hasProbe);
    for (const queue of this.opts.queues) {
      try {
        await (consume ? this.runtime.resume(queue) : this.runtime.pause(queue));
      } catch (err) {
        this.opts.log?.error(
          { queue, dependency: this.guard.name, err: (err as Error).message },
          `could not ${consume ? 'resume' : 'pause'} a queue`,
        );
      }
    }
    this.opts.log?.info(
      { dependency: this.guard.name, queues: this.opts.queues, state },
      consume ? 'queues consuming' : 'queues paused while the breaker is open',
    );
    try {
      await this.runtime.publish(BreakerCambiado, {
        servicio: this.opts.service,
        dependencia: this.guard.name,
        estado: state,
        at: new Date().toISOString(),
        ...(reason ? { motivo: reason.slice(0, 2000) } : {}),
      });
    } catch (err) {
      this.opts.log?.warn(
        { dependency: this.guard.name, err: (err as Error).message },
        'could not publish BreakerCambiado',
      );
    }
  }
}
