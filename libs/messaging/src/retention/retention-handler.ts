// Every service answers the gateway's PurgarRetencion the same way: from a queue of its own,
// `<service>.retencion` (never paused by a breaker, never in the way of the control queue), in a handler
// that holds no transaction while it purges (`transaction: 'own'`: each batch commits on its own, and
// only the inbox claim and the answer commit together at the end). A purge that fails for good answers
// RetencionFallida; what it removed before stays removed (a new run picks up from there).
import type { DataSource } from 'typeorm';
import { PurgarRetencion, RetencionAplicada, RetencionFallida } from '@lucy/contracts';
import type { MessagingRuntime } from '../runtime.js';
import { DAY_MS } from './retention-bounds.js';
import { MessageRetention, type RetentionLog } from './message-retention.js';

export const retentionQueueOf = (service: string) => `${service}.retencion`;

/** The transport's retention for this runtime's service: its tables, its queues' parked messages. */
export function messageRetentionOf(runtime: MessagingRuntime, dataSource: DataSource, log: RetentionLog) {
  return new MessageRetention({
    dataSource,
    parked: runtime.parked,
    queues: () => runtime.queues(),
    retryDelaysMs: runtime.opts.retryDelaysMs,
    log,
  });
}

/** Registers the PurgarRetencion handler; call before the runtime starts. */
export function registerRetention(runtime: MessagingRuntime, dataSource: DataSource, log: RetentionLog): void {
  const servicio = runtime.opts.service;
  const retention = messageRetentionOf(runtime, dataSource, log);
  runtime.handle(
    PurgarRetencion,
    async (cmd, ctx) => {
      const purgados = await retention.apply({
        parkedRetentionMs: cmd.edades.aparcadosDias * DAY_MS,
        simulate: cmd.simular,
      });
      ctx.publish(RetencionAplicada, { ejecucionId: cmd.ejecucionId, servicio, simulada: cmd.simular, purgados });
      await ctx.commit();
    },
    {
      queue: retentionQueueOf(servicio),
      name: 'PurgarRetencionHandler',
      transaction: 'own',
      onFailure: {
        event: RetencionFallida,
        payload: (cmd, fallo) => ({ ejecucionId: cmd.ejecucionId, servicio, ...fallo }),
      },
    },
  );
}
