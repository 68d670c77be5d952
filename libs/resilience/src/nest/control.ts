// The operator's and the configuration owner's messages, applied by every service that has guards:
// ReiniciarBreaker (for this service) and LimitesCambiados (for an API it calls). They are consumed
// from their own queue, <service>.control, because the service's other queues are paused exactly when
// a reset is wanted. A reset reaches every replica: the one that consumed the command announces it to
// the others on a Redis channel (a limit change needs no such thing: it is stored in Redis).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BreakerCambiado, LimitesCambiados, ReiniciarBreaker } from '@lucy/contracts';
import type { MessagingRuntime } from '@lucy/messaging';
import type { GuardRegistry } from './guard.registry.js';

export const controlQueueOf = (service: string) => `${service}.control`;
const resetChannel = (service: string) => `lucy:resilience:{${service}}:breaker-reset`;

export class ResilienceControl {
  private readonly instance = randomUUID();
  private subscriber?: Redis;

  constructor(
    private readonly service: string,
    private readonly guards: GuardRegistry,
    private readonly log: Logger,
    private readonly redis?: Redis,
  ) {}

  /** Registers the handlers with the transport; call before it starts. */
  register(runtime: Pick<MessagingRuntime, 'handle'>): void {
    const queue = controlQueueOf(this.service);
    runtime.handle(
      ReiniciarBreaker,
      async (cmd, ctx) => {
        if (cmd.servicio !== this.service) return;
        const guard = this.guards.get(cmd.dependencia);
        if (!guard) {
          this.log.warn(
            { dependencia: cmd.dependencia },
            'ReiniciarBreaker for a dependency this service does not guard',
          );
          return;
        }
        // A real transition publishes BreakerCambiado through the breaker's listener; otherwise reply here.
        if (!guard.reset())
          ctx.publish(BreakerCambiado, {
            servicio: this.service,
            dependencia: guard.name,
            estado: guard.state,
            at: new Date().toISOString(),
            motivo: 'reset by operator (was not open)',
          });
        await this.redis
          ?.publish(resetChannel(this.service), JSON.stringify({ dependencia: guard.name, from: this.instance }))
          .catch((err: Error) =>
            this.log.warn({ err: err.message }, 'could not tell the other replicas of a breaker reset'),
          );
      },
      { queue, name: 'ReiniciarBreakerHandler' },
    );
    runtime.handle(
      LimitesCambiados,
      async (evento) => {
        for (const guard of this.guards.forApi(evento.api))
          await guard.limiter!.setLimits({ rpm: evento.rpm, writeRpm: evento.writeRpm ?? null });
      },
      { queue, name: 'LimitesCambiadosHandler' },
    );
  }

  /** Listens for resets consumed by another replica. */
  listen(): void {
    if (!this.redis) return;
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined); // the main connection logs Redis trouble
    this.subscriber.on('message', (_channel: string, raw: string) => {
      try {
        const { dependencia, from } = JSON.parse(raw) as { dependencia: string; from: string };
        if (from !== this.instance) this.guards.get(dependencia)?.reset('reset by operator (another replica)');
      } catch {
        /* not ours */
      }
    });
    // Not awaited: with Redis down it subscribes when the connection comes (ioredis resubscribes after reconnects too).
    void this.subscriber
      .subscribe(resetChannel(this.service))
      .catch((err: Error) => this.log.warn({ err: err.message }, 'could not subscribe to breaker resets'));
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
  }
}
