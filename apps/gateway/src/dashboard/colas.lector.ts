// Each service's queues as the broker counts them: messages ready, consumers, and what is parked beside
// them. Asked on a broker connection of the dashboard's own, one channel per question: RabbitMQ answers a
// check of a missing queue by closing the channel it was asked on, which must not be the transport's.
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import amqp, { type ChannelModel } from 'amqplib';
import { parkedQueueName } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { ColaLeida } from './resumen.js';

interface Conteo {
  mensajes: number;
  consumidores: number;
}

@Injectable()
export class ColasLector implements OnModuleDestroy {
  private conn?: Promise<ChannelModel>;

  constructor(@InjectConfig() private readonly config: GatewayConfig) {}

  /** A service consumes `<servicio>` and, with a breaker, `<servicio>.control` (libs/resilience). */
  async de(servicio: string): Promise<ColaLeida[]> {
    const colas = [servicio, `${servicio}.control`];
    return Promise.all(
      colas.map(async (cola) => {
        const [c, p] = await Promise.all([this.contar(cola), this.contar(parkedQueueName(cola))]);
        return { cola, mensajes: c?.mensajes ?? null, consumidores: c?.consumidores ?? null, aparcados: p?.mensajes ?? null };
      }),
    );
  }

  /** null when the queue does not exist or the broker cannot be asked. */
  private async contar(cola: string): Promise<Conteo | null> {
    let conn: ChannelModel;
    try {
      conn = await this.conexion();
    } catch {
      return null;
    }
    const ch = await conn.createChannel().catch(() => null);
    if (!ch) return null;
    ch.on('error', () => undefined); // a 404 closes this channel only
    try {
      const q = await ch.checkQueue(cola);
      return { mensajes: q.messageCount, consumidores: q.consumerCount };
    } catch {
      return null;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  private conexion(): Promise<ChannelModel> {
    this.conn ??= amqp.connect(this.config.RABBITMQ_URL, { clientProperties: { connection_name: `${this.config.SERVICE_NAME} dashboard` } }).then((c) => {
      const olvidar = () => (this.conn = undefined);
      c.on('error', olvidar);
      c.on('close', olvidar);
      return c;
    });
    this.conn.catch(() => (this.conn = undefined));
    return this.conn;
  }

  async onModuleDestroy(): Promise<void> {
    const c = await this.conn?.catch(() => undefined);
    await c?.close().catch(() => undefined);
  }
}
