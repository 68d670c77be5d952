import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { alumnoId } from '../common/alumno.js';
import { fallo } from '../common/fallo.js';

/**
 * No account could be made: the onboarding fails (the account is the critical step). When the failed
 * attempt had already created an Entra user, it says which (`graphUserId`) and whether teams-service
 * could disable it at once: the saga deletes it (its undo step) unless a retry adopts it first.
 * Both fields are optional, so an event without them (an earlier producer) still reads as "nothing left".
 */
export const CuentaTeamsFallida = defineEvent({
  name: 'cuenta-teams.fallida',
  version: 1,
  schema: z.object({
    alumnoId,
    upn: z.email().nullable(),
    ...fallo,
    /** The Entra user this onboarding created and could not finish; absent when none was left. */
    graphUserId: z.string().min(1).optional(),
    /** Whether that user was disabled (`accountEnabled: false`) before this event; false: it may still sign in. */
    deshabilitada: z.boolean().optional(),
  }),
});
export type CuentaTeamsFallida = EventPayload<typeof CuentaTeamsFallida>;
