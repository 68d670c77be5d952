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
});
export type AlumnoDatos = z.infer<typeof AlumnoDatos>;

export const alumnoId = z.uuid();
