// Parked messages (dead letters) of every service, read from RabbitMQ: each service's queue `<service>`
// and its control queue `<service>.control` (libs/resilience) park into `<queue>.parked`, with the
// reason and attempts in the headers libs/messaging writes. Replay sends a message back to the queue it
// failed in with a fresh retry budget; discard drops it. Both are recorded as a tarea.
import { Injectable, NotFoundException } from '@nestjs/common';
import { MessagingRuntime, parkedQueueName } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { TareaService } from '../tareas/tarea.service.js';
import { QueueProbe } from './queue.probe.js';

export interface MensajeAparcado {
  messageId: string;
  tipo: string | null;
  cola: string;
  correlationId: string | null;
  error: string | null;
  codigoError: string | null;
  intentos: number;
  primerFallo: string | null;
  ultimoFallo: string | null;
  aparcadoAt: string | null;
  /** The payload, parsed when it is JSON; sealed credentials left out. */
  cuerpo: unknown;
}

/** Never shown, even sealed: the DLQ is read by many people (as the audit trail). */
const OMITIR = new Set(['credencial', 'password']);

function sinSecretos(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sinSecretos);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !OMITIR.has(k))
        .map(([k, x]) => [k, sinSecretos(x)]),
    );
  return v;
}

function cuerpoDe(body: string): unknown {
  try {
    return sinSecretos(JSON.parse(body));
  } catch {
    return body.slice(0, 2000);
  }
}

@Injectable()
export class DlqService {
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly messaging: MessagingRuntime,
    private readonly tareas: TareaService,
    private readonly probe: QueueProbe,
  ) {}

  /** The queues of a service that can park messages; 404 for a service not in SERVICES. */
  colas(servicio: string): string[] {
    if (!this.config.SERVICES.includes(servicio))
      throw new NotFoundException(`no hay un servicio "${servicio}" (servicios: ${this.config.SERVICES.join(', ')})`);
    return [servicio, `${servicio}.control`];
  }

  cola(servicio: string, cola: string | undefined): string {
    const colas = this.colas(servicio);
    if (cola === undefined) return servicio;
    if (!colas.includes(cola))
      throw new NotFoundException(`${servicio} no tiene la cola "${cola}" (colas: ${colas.join(', ')})`);
    return cola;
  }

  async resumen(): Promise<
    { servicio: string; aparcados: number; colas: { cola: string; aparcados: number | null }[] }[]
  > {
    return Promise.all(
      this.config.SERVICES.map(async (servicio) => {
        const colas = await Promise.all(
          this.colas(servicio).map(async (cola) => ({ cola, aparcados: await this.contar(cola) })),
        );
        return { servicio, aparcados: colas.reduce((n, c) => n + (c.aparcados ?? 0), 0), colas };
      }),
    );
  }

  /** null when the queue does not exist (the service never started, or has no control queue). */
  private contar(cola: string): Promise<number | null> {
    return this.probe.mensajes(parkedQueueName(cola));
  }

  async listar(
    servicio: string,
    cola: string | undefined,
    limit: number,
  ): Promise<{ servicio: string; cola: string; total: number; mensajes: MensajeAparcado[] }> {
    const q = this.cola(servicio, cola);
    const total = await this.contar(q);
    if (total === null) return { servicio, cola: q, total: 0, mensajes: [] };
    const mensajes = await this.messaging.parked.list(q, limit);
    return {
      servicio,
      cola: q,
      total,
      mensajes: mensajes.map((m) => ({
        messageId: m.messageId,
        tipo: m.type,
        cola: m.queue,
        correlationId: m.correlationId,
        error: m.error,
        codigoError: m.errorCode,
        intentos: m.attempts,
        primerFallo: m.firstFailure,
        ultimoFallo: m.lastFailure,
        aparcadoAt: m.parkedAt,
        cuerpo: cuerpoDe(m.body),
      })),
    };
  }

  async reintentar(servicio: string, cola: string | undefined, messageId: string | undefined, actor: string) {
    return this.operar('reintentar', servicio, cola, messageId, actor, (q) =>
      this.messaging.parked.replay(q, messageId),
    );
  }

  async descartar(servicio: string, cola: string | undefined, messageId: string | undefined, actor: string) {
    return this.operar('descartar', servicio, cola, messageId, actor, (q) =>
      this.messaging.parked.discard(q, messageId),
    );
  }

  private async operar(
    op: 'reintentar' | 'descartar',
    servicio: string,
    cola: string | undefined,
    messageId: string | undefined,
    actor: string,
    run: (q: string) => Promise<number>,
  ) {
    const q = this.cola(servicio, cola);
    if ((await this.contar(q)) === null) throw new NotFoundException(`la cola ${q}.parked no existe`);
    const n = await run(q);
    if (messageId && n === 0) throw new NotFoundException(`no hay un mensaje ${messageId} aparcado en ${q}`);
    const tareaId = await this.tareas.registrar({
      tipo: 'dlq',
      actor,
      estado: 'completada',
      total: n,
      exitosos: n,
      detalle: { operacion: op, servicio, cola: q, messageId: messageId ?? 'todos' },
    });
    return { servicio, cola: q, operacion: op, mensajes: n, tareaId };
  }
}
