// Retention: the gateway asks every service to remove what it no longer needs (applied-message ids, relayed
// outbox rows, old parked messages), or only to count it; each answers for itself.
import { z } from 'zod';
import { defineCommand, defineEvent, type EventPayload, type Payload } from '../message.js';
import { fallo } from '../common/fallo.js';

/** What a service or the gateway removes: its own rows and parked messages, each by its owner. */
export const TIPOS_RETENCION = ['auditoria', 'tareas', 'workflows', 'inbox', 'outbox', 'aparcados'] as const;
export type TipoRetencion = (typeof TIPOS_RETENCION)[number];

/** The ages, in days, as the gateway's configuration holds them (key `retencion`). */
export const EdadesRetencion = z.object({
  /** Finished tareas and workflows (gateway). */
  dias: z.number().int().min(1).max(3650),
  /** Audit entries (gateway): at least as long as `dias`. */
  auditoriaDias: z.number().int().min(1).max(3650),
  /** Parked messages (every service): the inbox keeps an id at least this long too (it may be replayed). */
  aparcadosDias: z.number().int().min(1).max(365),
});
export type EdadesRetencion = z.infer<typeof EdadesRetencion>;

/** A parked message removed (or that would be): which, from where, why it was parked. Never its body. */
export const AparcadoQuitado = z.object({
  cola: z.string(),
  messageId: z.string(),
  tipo: z.string().nullable(),
  aparcadoAt: z.string().nullable(),
  motivo: z.string().max(500).nullable(),
});
export type AparcadoQuitado = z.infer<typeof AparcadoQuitado>;

/** At most this many parked messages are listed in an answer (all are logged by the service). */
export const MAX_APARCADOS_LISTADOS = 100;

/** One kind, purged (or counted, when simulated): how many, older than what, how long it took. */
export const Purgado = z.object({
  tipo: z.enum(TIPOS_RETENCION),
  cantidad: z.number().int().min(0),
  /** Only what was older than this was removed (ISO). */
  corte: z.iso.datetime({ offset: true }),
  duracionMs: z.number().int().min(0),
  /** `aparcados` only: the messages, the first MAX_APARCADOS_LISTADOS of them. */
  mensajes: z.array(AparcadoQuitado).max(MAX_APARCADOS_LISTADOS).optional(),
});
export type Purgado = z.infer<typeof Purgado>;

const respuesta = {
  ejecucionId: z.uuid(),
  servicio: z.string().min(1),
};

/** A service purged (or, simulating, counted) what it owns. */
export const RetencionAplicada = defineEvent({
  name: 'retencion.aplicada',
  version: 1,
  schema: z.object({ ...respuesta, simulada: z.boolean(), purgados: z.array(Purgado) }),
});
export type RetencionAplicada = EventPayload<typeof RetencionAplicada>;

/** A service could not purge; what it removed before failing stays removed. */
export const RetencionFallida = defineEvent({
  name: 'retencion.fallida',
  version: 1,
  schema: z.object({ ...respuesta, ...fallo }),
});
export type RetencionFallida = EventPayload<typeof RetencionFallida>;

/**
 * Every service (a broadcast: each binds its own queue) removes what it owns past its age, in short
 * batches; `simular`: only counts. Answered by each with RetencionAplicada or RetencionFallida.
 */
export const PurgarRetencion = defineCommand({
  name: 'retencion.purgar',
  version: 1,
  schema: z.object({
    ejecucionId: z.uuid(),
    simular: z.boolean(),
    edades: EdadesRetencion,
  }),
  replies: [RetencionAplicada, RetencionFallida],
});
export type PurgarRetencion = Payload<typeof PurgarRetencion>;
