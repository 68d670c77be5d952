// Replies to the account commands (commands/cuenta-teams.ts). Each command has a success and a failure.
import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { AlumnoDatos, alumnoId } from '../common/alumno.js';
import { fallo } from '../common/fallo.js';
import { sealedSecret } from '../common/sealed-secret.js';

export const CuentaTeamsEliminada = defineEvent({
  name: 'cuenta-teams.eliminada',
  version: 1,
  /** `yaNoExistia`: the account was already gone, which counts as done (idempotent undo). */
  schema: z.object({ alumnoId, upn: z.email(), graphUserId: z.string().nullable(), yaNoExistia: z.boolean() }),
});
export type CuentaTeamsEliminada = EventPayload<typeof CuentaTeamsEliminada>;

/** The `codigo` of an EliminacionFallida that deleted nothing on purpose: a later onboarding took the account a failed one left. */
export const CUENTA_ADOPTADA = 'cuenta-adoptada';

export const CuentaTeamsEliminacionFallida = defineEvent({
  name: 'cuenta-teams.eliminacion-fallida',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), ...fallo }),
});
export type CuentaTeamsEliminacionFallida = EventPayload<typeof CuentaTeamsEliminacionFallida>;

export const CuentaTeamsDeshabilitada = defineEvent({
  name: 'cuenta-teams.deshabilitada',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), graphUserId: z.string() }),
});
export type CuentaTeamsDeshabilitada = EventPayload<typeof CuentaTeamsDeshabilitada>;

export const CuentaTeamsDeshabilitacionFallida = defineEvent({
  name: 'cuenta-teams.deshabilitacion-fallida',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), ...fallo }),
});
export type CuentaTeamsDeshabilitacionFallida = EventPayload<typeof CuentaTeamsDeshabilitacionFallida>;

/** A new temporary password was set; mail-service sends it (sealed for it, like CuentaTeamsCreada). */
export const PasswordRestablecida = defineEvent({
  name: 'cuenta-teams.password-restablecida',
  version: 1,
  schema: z.object({
    alumnoId,
    upn: z.email(),
    graphUserId: z.string(),
    credencial: sealedSecret,
    credencialVersion: z.number().int().positive(),
    alumno: AlumnoDatos,
  }),
});
export type PasswordRestablecida = EventPayload<typeof PasswordRestablecida>;

export const RestablecimientoPasswordFallido = defineEvent({
  name: 'cuenta-teams.restablecimiento-fallido',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), ...fallo }),
});
export type RestablecimientoPasswordFallido = EventPayload<typeof RestablecimientoPasswordFallido>;

/**
 * The Entra user now carries the student's data (displayName, givenName, surname, department, mail
 * fields). `campos`: the Graph properties changed. The UPN is never changed here: when today's pattern
 * gives another one for the new data, `upnSugerido` says which, for an operator to decide.
 */
export const CuentaTeamsActualizada = defineEvent({
  name: 'cuenta-teams.actualizada',
  version: 1,
  schema: z.object({
    alumnoId,
    upn: z.email(),
    graphUserId: z.string(),
    campos: z.array(z.string()),
    upnSugerido: z.email().nullable(),
  }),
});
export type CuentaTeamsActualizada = EventPayload<typeof CuentaTeamsActualizada>;

export const CuentaTeamsActualizacionFallida = defineEvent({
  name: 'cuenta-teams.actualizacion-fallida',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), ...fallo }),
});
export type CuentaTeamsActualizacionFallida = EventPayload<typeof CuentaTeamsActualizacionFallida>;

/** The account signs in again: enabled, after being restored from deletedItems if it had been deleted (`restaurada`). */
export const CuentaTeamsHabilitada = defineEvent({
  name: 'cuenta-teams.habilitada',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), graphUserId: z.string(), restaurada: z.boolean() }),
});
export type CuentaTeamsHabilitada = EventPayload<typeof CuentaTeamsHabilitada>;

/** The `codigo` of a HabilitacionFallida for an account neither live nor restorable (deleted over 30 days ago): onboard again. */
export const CUENTA_INEXISTENTE = 'cuenta-inexistente';

export const CuentaTeamsHabilitacionFallida = defineEvent({
  name: 'cuenta-teams.habilitacion-fallida',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), ...fallo }),
});
export type CuentaTeamsHabilitacionFallida = EventPayload<typeof CuentaTeamsHabilitacionFallida>;
