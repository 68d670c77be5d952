// The student as the pipeline carries it (event-carried state: downstream services never query the
// registry). Field names are the domain's, as SIAL and the admins say them.
import { z } from 'zod';
import { EmailAlumno } from './email.js';

export const ESTADOS_ALUMNO = ['aspirante', 'preinscripto', 'ingresante', 'baja', 'egresado'] as const;
export const EstadoAlumno = z.enum(ESTADOS_ALUMNO);
export type EstadoAlumno = z.infer<typeof EstadoAlumno>;
/** A student in one of these is leaving: their accounts are suspended, and deleted after a grace period. */
export const ESTADOS_DE_SALIDA = ['baja', 'egresado'] as const satisfies readonly EstadoAlumno[];
export const esSalida = (estado: EstadoAlumno) => (ESTADOS_DE_SALIDA as readonly string[]).includes(estado);

/**
 * A Moodle course shortname as Moodle takes one (course.shortname: PARAM_TEXT, at most 255 characters): not
 * blank, no surrounding spaces, no markup or control characters (PARAM_TEXT strips tags, so "<b>X</b>"
 * would name another course than the one written).
 */
export const ShortnameMoodle = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => s.trim() === s && s.trim().length > 0, 'sin espacios al principio ni al final')
  .refine((s) => !/[<>\p{Cc}]/u.test(s), 'sin < > ni caracteres de control (Moodle los quita)');

export const AlumnoDatos = z.object({
  /** Normalized: digits only, 7 or 8 of them, a number from 1,000,000 up (leading zeros as written). */
  dni: z
    .string()
    .regex(/^\d{7,8}$/)
    .refine((d) => Number(d) >= 1_000_000, 'un DNI es un número desde 1.000.000'),
  nombre: z.string().min(1).max(200),
  apellido: z.string().min(1).max(200),
  emailPersonal: EmailAlumno.nullable(),
  emailInstitucional: EmailAlumno.nullable(),
  carrera: z.string().min(1).max(200),
  estado: EstadoAlumno,
  /** Academic period the student enters, e.g. "2027" or "2027-1C". */
  periodo: z.string().min(1).max(20),
  /**
   * The Moodle courses the source itself states for the student (a OneRoster roster: their classes through
   * the runtime key cursosOneRoster), sorted, without repeats. Absent for a source that states none (SIAL,
   * an upload of rows): then only the configuration's courses for estado/periodo count (common/cursos.ts).
   */
  cursosFuente: z.array(ShortnameMoodle).max(500).optional(),
});
export type AlumnoDatos = z.infer<typeof AlumnoDatos>;

export const alumnoId = z.uuid();
