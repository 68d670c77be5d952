import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';

/** A service's circuit breaker for one external dependency changed state (or was reset by an operator). */
export const BreakerCambiado = defineEvent({
  name: 'breaker.cambiado',
  version: 1,
  schema: z.object({
    servicio: z.string().min(1),
    /** The external dependency: 'graph', 'moodle', 'smtp', 'sial'. */
    dependencia: z.string().min(1),
    /** open: calls refused and its queues paused; half-open: one probe let through; closed: normal. */
    estado: z.enum(['closed', 'open', 'half-open']),
    at: z.iso.datetime({ offset: true }),
    /** The failure that opened it, or 'reset by operator'; absent when closing on its own. */
    motivo: z.string().max(2000).optional(),
  }),
});
export type BreakerCambiado = EventPayload<typeof BreakerCambiado>;
