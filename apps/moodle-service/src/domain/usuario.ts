// Who the student is in Moodle. Pure: no Moodle, no database.
//
// The username is the whole UPN, lower-cased (not its local part): it is unique across domains, and it
// is what Moodle itself ends up with when a student signs in with Microsoft — auth_oauth2 lower-cases
// the login it gets (auth/oauth2/classes/auth.php) and the Microsoft issuer maps userPrincipalName to
// email (lib/classes/oauth2/service/microsoft.php), so a user Lucy created with username = email = UPN
// is the one the student's first Microsoft sign-in links to; auth_oidc uses the UPN as username too.
import type { AlumnoDatos } from '@lucy/contracts';
import { paramNotags } from '../moodle/param-notags.js';

/** PARAM_USERNAME without $CFG->extendedusernamechars: lower-case letters, digits and - . @ _ only. */
const USERNAME = /^[-.@_a-z0-9]+$/;

export class UsernameInvalido extends Error {
  override readonly name = 'UsernameInvalido';
}

export class NombreInvalido extends Error {
  override readonly name = 'NombreInvalido';
}

/**
 * A name as Moodle keeps it: firstname and lastname are PARAM_NOTAGS, which Moodle cleans of tags
 * ("<script>x</script>Ana" → "xAna") but a web service refuses unless sent clean (validate_param). So it
 * is sent cleaned: the user is created with what Moodle's own forms would have stored, and what Moodle
 * answers for the user is what was sent. A name that is nothing but tags leaves nothing to send.
 */
export function nombreMoodle(nombre: string, campo: 'firstname' | 'lastname'): string {
  // Spaces trimmed after the cleaning may leave a '<' last, which Moodle reads as a tag: clean until stable
  // (each pass only shortens it), so what is sent is exactly what Moodle keeps.
  let limpio = nombre;
  for (let previo = ''; previo !== limpio;)
    [previo, limpio] = [limpio, paramNotags(limpio).replace(/\s+/g, ' ').trim()];
  if (!limpio)
    throw new NombreInvalido(
      `the student's ${campo} "${nombre.slice(0, 100)}" is nothing but HTML tags: Moodle keeps names without tags (PARAM_NOTAGS) and nothing is left`,
    );
  return limpio;
}

export function usernameDesdeUpn(upn: string): string {
  const username = upn.trim().toLowerCase();
  // Moodle would refuse it (invalidusername) or, worse, clean it into someone else's username.
  if (!USERNAME.test(username))
    throw new UsernameInvalido(`the UPN ${upn} does not make a valid Moodle username (allowed: a-z 0-9 - . @ _)`);
  return username;
}

/** The email Moodle keeps: the UPN, which is the Microsoft account's address (see above). */
export const emailDesdeUpn = (upn: string): string => upn.trim().toLowerCase();

/**
 * The user Lucy creates for the student. The username (and the auth plugin and time zone it is created with)
 * is never changed afterwards; the profile fields (CAMPOS_DEL_PERFIL) follow the student's data.
 */
export function perfilMoodle(upn: string, alumno: AlumnoDatos) {
  return {
    username: usernameDesdeUpn(upn),
    email: emailDesdeUpn(upn),
    firstname: nombreMoodle(alumno.nombre, 'firstname'),
    lastname: nombreMoodle(alumno.apellido, 'lastname'),
    // The DNI as idnumber: how the faculty's staff find a student in Moodle's user lists and reports.
    idnumber: alumno.dni,
  };
}

/**
 * What Lucy keeps in step with the student's data on their Moodle user. Not the username: it is what the
 * student's Microsoft sign-in links to (a UPN never changes silently), and a user found by email keeps the
 * one it had.
 */
export const CAMPOS_DEL_PERFIL = ['firstname', 'lastname', 'email', 'idnumber'] as const;
export type CampoDelPerfil = (typeof CAMPOS_DEL_PERFIL)[number];

/**
 * The profile fields whose value Moodle does not hold yet: what core_user_update_users is sent. A field
 * Moodle's answer leaves out counts as different — Moodle omits an empty optional field, and a token may
 * not see some — since sending a value it already holds changes nothing.
 */
export function camposDistintos(
  actual: Partial<Record<CampoDelPerfil, string>>,
  deseado: Record<CampoDelPerfil, string>,
): Partial<Record<CampoDelPerfil, string>> {
  return Object.fromEntries(CAMPOS_DEL_PERFIL.filter((c) => actual[c] !== deseado[c]).map((c) => [c, deseado[c]]));
}
