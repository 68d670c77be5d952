// Each service's queues as the broker counts them: messages ready, consumers, and what is parked beside
// them, asked through QueueProbe (a broker connection of its own: a check of a missing queue closes the
// channel it was asked on, which must not be the transport's).
import { Injectable } from '@nestjs/common';
import { parkedQueueName } from '@lucy/messaging';
import { QueueProbe } from '../dlq/queue.probe.js';
import type { ColaLeida } from './resumen.js';

type Conteo = NonNullable<Awaited<ReturnType<QueueProbe['conteo']>>>;

@Injectable()
export class QueueReader {
  constructor(private readonly probe: QueueProbe) {}

  /** A service consumes `<servicio>` and, with a breaker, `<servicio>.control` (libs/resilience). */
  async de(servicio: string): Promise<ColaLeida[]> {
    const colas = [servicio, `${servicio}.control`];
    return Promise.all(
      colas.map(async (cola) => {
        const [c, p] = await Promise.all([this.contar(cola), this.contar(parkedQueueName(cola))]);
        return {
          cola,
          mensajes: c?.mensajes ?? null,
          consumidores: c?.consumidores ?? null,
          aparcados: p?.mensajes ?? null,
        };
      }),
    );
  }

  /** null when the queue does not exist or the broker cannot be asked. */
  private contar(cola: string): Promise<Conteo | null> {
    return this.probe.conteo(cola).catch(() => null);
  }
}
