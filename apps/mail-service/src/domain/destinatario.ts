import type { AlumnoDatos } from '@lucy/contracts';

/**
 * Where a student's credentials go: the institutional address when SIAL gave one, else the personal one.
 * The institutional address is the one the university already uses to reach the student; but when it is
 * the Microsoft 365 account itself (the UPN), the student could only read it with the password inside,
 * so the personal address is used instead. Null: the student has no address we can write to.
 */
export function elegirDestinatario(
  alumno: Pick<AlumnoDatos, 'emailInstitucional' | 'emailPersonal'>,
  upn: string,
): string | null {
  const institucional = alumno.emailInstitucional?.trim();
  if (institucional && institucional.toLowerCase() !== upn.trim().toLowerCase()) return institucional;
  return alumno.emailPersonal?.trim() || null;
}
