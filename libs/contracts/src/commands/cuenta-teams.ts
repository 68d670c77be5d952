// Commands the gateway sends to teams-service for compensation and operator actions.
import { z } from 'zod';
import { defineCommand, type Payload } from '../message.js';
import { AlumnoDatos, alumnoId } from '../common/alumno.js';
import {
  CuentaTeamsActualizacionFallida,
  CuentaTeamsActualizada,
  CuentaTeamsHabilitacionFallida,
  CuentaTeamsHabilitada,
  CuentaTeamsDeshabilitacionFallida,
  CuentaTeamsDeshabilitada,
  CuentaTeamsEliminacionFallida,
  CuentaTeamsEliminada,
  PasswordRestablecida,
  RestablecimientoPasswordFallido,
} from '../events/cuenta-teams-replies.js';

const cuenta = { alumnoId, upn: z.email(), graphUserId: z.string().nullable() };

/**
 * Undo of CuentaTeamsCreada: Graph's soft delete (restorable for 30 days). `dejadaPorFallo`: the undo of
 * an account a failed onboarding left (CuentaTeamsFallida's graphUserId), which is not deleted if a later
 * onboarding adopted it meanwhile (the reply is then CuentaTeamsEliminacionFallida, code `cuenta-adoptada`).
 */
export const EliminarCuentaTeams = defineCommand({
  name: 'cuenta-teams.eliminar',
  version: 1,
  schema: z.object({ ...cuenta, dejadaPorFallo: z.boolean().optional() }),
  replies: [CuentaTeamsEliminada, CuentaTeamsEliminacionFallida],
});
export type EliminarCuentaTeams = Payload<typeof EliminarCuentaTeams>;

export const DeshabilitarCuentaTeams = defineCommand({
  name: 'cuenta-teams.deshabilitar',
  version: 1,
  schema: z.object(cuenta),
  replies: [CuentaTeamsDeshabilitada, CuentaTeamsDeshabilitacionFallida],
});
export type DeshabilitarCuentaTeams = Payload<typeof DeshabilitarCuentaTeams>;

/** A new temporary password, and its credentials emailed again (the old one is never kept to resend). */
export const RestablecerPassword = defineCommand({
  name: 'cuenta-teams.restablecer-password',
  version: 1,
  schema: z.object({ ...cuenta, alumno: AlumnoDatos }),
  replies: [PasswordRestablecida, RestablecimientoPasswordFallido],
});
export type RestablecerPassword = Payload<typeof RestablecerPassword>;

/** The student's data changed: the Entra user is updated to it (never its UPN: see CuentaTeamsActualizada). */
export const ActualizarCuentaTeams = defineCommand({
  name: 'cuenta-teams.actualizar',
  version: 1,
  schema: z.object({ ...cuenta, alumno: AlumnoDatos }),
  replies: [CuentaTeamsActualizada, CuentaTeamsActualizacionFallida],
});
export type ActualizarCuentaTeams = Payload<typeof ActualizarCuentaTeams>;

/**
 * A returning student signs in again: the user is enabled; one deleted within Entra's 30 days is
 * restored from deletedItems first (same object id and UPN), its licence assigned again.
 */
export const HabilitarCuentaTeams = defineCommand({
  name: 'cuenta-teams.habilitar',
  version: 1,
  schema: z.object(cuenta),
  replies: [CuentaTeamsHabilitada, CuentaTeamsHabilitacionFallida],
});
export type HabilitarCuentaTeams = Payload<typeof HabilitarCuentaTeams>;
