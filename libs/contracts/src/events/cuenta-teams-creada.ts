import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { AlumnoDatos, alumnoId } from '../common/alumno.js';
import { sealedSecret } from '../common/sealed-secret.js';

/** The student has an Entra ID account with a license and a temporary password. */
export const CuentaTeamsCreada = defineEvent({
  name: 'cuenta-teams.creada',
  version: 1,
  schema: z.object({
    alumnoId,
    upn: z.email(),
    graphUserId: z.string().min(1),
    /** True when the account already existed (found by UPN) rather than created now. */
    existente: z.boolean(),
    /** The temporary password, encrypted for mail-service. */
    credencial: sealedSecret,
    /** Grows with every password issued, so mail-service sends one email per credential. */
    credencialVersion: z.number().int().positive(),
    alumno: AlumnoDatos,
  }),
});
export type CuentaTeamsCreada = EventPayload<typeof CuentaTeamsCreada>;
