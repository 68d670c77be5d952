// Who the student is in Moodle. Pure: no Moodle, no database.
//
// The username is the whole UPN, lower-cased (not its local part): it is unique across domains, and it
// is what Moodle itself ends up with when a student signs in with Microsoft — auth_oauth2 lower-cases
// the login it gets (auth/oauth2/classes/auth.php) and the Microsoft issuer maps userPrincipalName to
// email (lib/classes/oauth2/service/microsoft.php), so a user Lucy created with username = email = UPN
// is the one the student's first Microsoft sign-in links to; auth_oidc uses the UPN as username too.
import type { AlumnoDatos } from '@lucy/contracts';

/** PARAM_USERNAME without $CFG->extendedusernamechars: lower-case letters, digits and - . @ _ only. */
const USERNAME = /^[-.@_a-z0-9]+$/;

export class UsernameInvalido extends Error {
  override readonly name = 'UsernameInvalido';
}

export function usernameDesdeUpn(upn: string): string {
  const username = upn.trim().toLowerCase();
  // Moodle would refuse it (invalidusername) or, worse, clean it into someone else's username.
  if (!USERNAME.test(username)) throw new UsernameInvalido(`the UPN ${upn} does not make a valid Moodle username (allowed: a-z 0-9 - . @ _)`);
  return username;
}

/** The email Moodle keeps: the UPN, which is the Microsoft account's address (see above). */
export const emailDesdeUpn = (upn: string): string => upn.trim().toLowerCase();

/** The profile fields Lucy sets when it creates the user; never changed afterwards. */
export function perfilMoodle(upn: string, alumno: AlumnoDatos) {
  return {
    username: usernameDesdeUpn(upn),
    email: emailDesdeUpn(upn),
    firstname: alumno.nombre.trim(),
    lastname: alumno.apellido.trim(),
    // The DNI as idnumber: how the faculty's staff find a student in Moodle's user lists and reports.
    idnumber: alumno.dni,
  };
}
