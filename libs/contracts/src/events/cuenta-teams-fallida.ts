import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { alumnoId, fallo } from '../shared/alumno.js';

/** No account could be made: the onboarding fails (the account is the critical step). */
export const CuentaTeamsFallida = defineEvent({
  name: 'cuenta-teams.fallida',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email().nullable(), ...fallo }),
});
export type CuentaTeamsFallida = EventPayload<typeof CuentaTeamsFallida>;
