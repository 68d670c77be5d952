import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';

/**
 * The configuration owner changed an external API's rate limit. Every service that calls that API
 * applies it at once, without a restart; the value is shared by all its replicas (libs/resilience).
 */
export const LimitesCambiados = defineEvent({
  name: 'config.limites-cambiados',
  version: 1,
  schema: z.object({
    /** The external API: 'graph', 'moodle', 'smtp'. */
    api: z.string().min(1),
    /** Requests per minute, all kinds together. */
    rpm: z.number().positive(),
    /** Writes per minute, budgeted on top of rpm (Entra counts writes separately); null: no write budget. */
    writeRpm: z.number().positive().nullable().optional(),
  }),
});
export type LimitesCambiados = EventPayload<typeof LimitesCambiados>;
