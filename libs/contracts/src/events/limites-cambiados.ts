import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { topePorMinuto } from '../common/limites.js';

/**
 * The configuration owner changed an external API's rate limit. Every service that calls that API
 * applies it at once, without a restart; the value is shared by all its replicas (libs/resilience).
 */
export const LimitesCambiados = defineEvent({
  name: 'config.limites-cambiados',
  version: 1,
  schema: z
    .object({
      /** The external API: 'graph', 'moodle', 'smtp'. */
      api: z.string().min(1),
      /** Requests per minute, all kinds together. */
      rpm: z.number().int().min(1),
      /** Writes per minute, budgeted on top of rpm (Entra counts writes separately); null: no write budget. */
      writeRpm: z.number().int().min(1).nullable().optional(),
    })
    // The service's own check of what the configuration owner sends: no rate above what the API takes.
    .superRefine((e, ctx) => {
      for (const campo of ['rpm', 'writeRpm'] as const) {
        const tope = topePorMinuto(e.api, campo);
        const valor = e[campo];
        if (tope !== undefined && typeof valor === 'number' && valor > tope)
          ctx.addIssue({ code: 'custom', path: [campo], message: `${e.api} takes at most ${tope} per minute` });
      }
    }),
});
export type LimitesCambiados = EventPayload<typeof LimitesCambiados>;
