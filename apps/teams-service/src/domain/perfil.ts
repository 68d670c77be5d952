// What Lucy writes into a student's Entra user from their data: set when the account is created and
// brought back in step when the data changes, so both go through perfilDe. Never the UPN (nor
// mailNickname, its alias): it is how the student signs in and how Lucy finds the account, so a change
// that would alter it is only suggested (upnSugerido, upn.ts).
import type { AlumnoDatos } from '@lucy/contracts';

/** The user properties Lucy derives from the student, within Entra's lengths (user resource). */
export interface PerfilEntra {
  /** The name shown in Teams and the address book (at most 256). */
  displayName: string;
  /** At most 64 characters each. */
  givenName: string;
  surname: string;
  /** The student's carrera (at most 64). */
  department: string;
  /** The DNI: the key that does not depend on the UPN pattern (at most 16; a DNI has 7 or 8 digits). */
  employeeId: string;
}

export const CAMPOS_PERFIL = [
  'displayName',
  'givenName',
  'surname',
  'department',
  'employeeId',
] as const satisfies readonly (keyof PerfilEntra)[];

export type Alumno = Pick<AlumnoDatos, 'dni' | 'nombre' | 'apellido' | 'carrera'>;

export const nombreVisible = (alumno: Pick<Alumno, 'nombre' | 'apellido'>): string =>
  `${alumno.nombre.trim()} ${alumno.apellido.trim()}`.slice(0, 256);

export function perfilDe(alumno: Alumno): PerfilEntra {
  return {
    displayName: nombreVisible(alumno),
    givenName: alumno.nombre.trim().slice(0, 64),
    surname: alumno.apellido.trim().slice(0, 64),
    department: alumno.carrera.trim().slice(0, 64),
    employeeId: alumno.dni,
  };
}

/**
 * The properties whose value in Entra differs from the profile: what one PATCH sends (nothing when
 * empty). A property Entra has no value for (null, or absent) differs from any value of ours.
 */
export function cambiosDePerfil(
  actual: Partial<Record<keyof PerfilEntra, string | null>>,
  perfil: PerfilEntra,
): Partial<PerfilEntra> {
  return Object.fromEntries(CAMPOS_PERFIL.filter((c) => (actual[c] ?? null) !== perfil[c]).map((c) => [c, perfil[c]]));
}
