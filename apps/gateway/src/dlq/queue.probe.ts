// How many messages (and consumers) a queue holds, or null when it does not exist — asked on a broker
// connection of its own (the DLQ endpoints and the dashboard both ask here). Why not the transport's:
// RabbitMQ answers checkQueue on a missing queue by closing the channel with a 404, and a channel from
// libs/messaging's connection has no error listener, so that close takes the service's whole broker
// connection down (it reconnects, but consumers and publishes are cut).
// Reported to libs/messaging; until ParkedMessages handles it, existence is asked here first.
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import amqp, { type ChannelModel } from 'amqplib';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';

@Injectable()
export class QueueProbe implements OnModuleDestroy {
  private conn?: Promise<ChannelModel>;
  /** Set at shutdown: a question still in flight (the history's sample) must not open a new connection. */
  private cerrado = false;

  constructor(@InjectConfig() private readonly config: GatewayConfig) {}

  private conexion(): Promise<ChannelModel> {
    if (this.cerrado) return Promise.reject(new Error('queue probe closed: the gateway is shutting down'));
    this.conn ??= amqp
      .connect(this.config.RABBITMQ_URL, {
        clientProperties: { connection_name: `${this.config.SERVICE_NAME} queue-probe` },
      })
      .then((c) => {
        const olvidar = () => (this.conn = undefined);
        c.on('error', olvidar);
        c.on('close', olvidar);
        return c;
      });
    this.conn.catch(() => (this.conn = undefined));
    return this.conn;
  }

  /** Messages ready and consumers of a queue, or null when it does not exist. */
  async conteo(cola: string): Promise<{ mensajes: number; consumidores: number } | null> {
    const ch = await (await this.conexion()).createChannel();
    ch.on('error', () => undefined); // the 404 of a missing queue closes this channel only
    try {
      const q = await ch.checkQueue(cola);
      return { mensajes: q.messageCount, consumidores: q.consumerCount };
    } catch (err) {
      if ((err as { code?: number }).code === 404) return null;
      throw err;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  async mensajes(cola: string): Promise<number | null> {
    return (await this.conteo(cola))?.mensajes ?? null;
  }

  async onModuleDestroy(): Promise<void> {
    this.cerrado = true;
    const c = await this.conn?.catch(() => undefined);
    await c?.close().catch(() => undefined);
  }
}
