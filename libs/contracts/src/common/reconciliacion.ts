// What a reconciliation compares and finds, declared once: the kinds of difference between Lucy's registry
// and a system it keeps accounts in, and one difference as a service reports it.
import { z } from 'zod';
import { AlumnoDatos, alumnoId } from './alumno.js';

export const TIPOS_DIFERENCIA = [
  'cuenta_faltante',
  'cuenta_deshabilitada',
  'cuenta_habilitada',
  'licencia_faltante',
  'datos_distintos',
  'moodle_usuario_faltante',
  'inscripcion_faltante',
  'huerfano',
] as const;
export const TipoDiferencia = z.enum(TIPOS_DIFERENCIA);
export type TipoDiferencia = z.infer<typeof TipoDiferencia>;

export const SISTEMAS_RECONCILIACION = ['entra', 'moodle'] as const;
export const SistemaReconciliacion = z.enum(SISTEMAS_RECONCILIACION);
export type SistemaReconciliacion = z.infer<typeof SistemaReconciliacion>;

const texto = z.string().max(1000).nullable();

/** One difference: the student it concerns (none for an orphan), what the registry expects and what the system has. */
export const Diferencia = z.object({
  alumnoId: alumnoId.nullable(),
  tipo: TipoDiferencia,
  /** What the difference is about, as the system names it: a UPN, a Moodle username, `username@curso`. */
  referencia: z.string().min(1).max(500),
  esperado: texto,
  encontrado: texto,
  /** datos_distintos: the properties that differ; inscripcion_faltante / huerfano in a course: the course. */
  campos: z.array(z.string().max(100)).max(20).optional(),
  curso: z.string().max(255).optional(),
});
export type Diferencia = z.infer<typeof Diferencia>;

/**
 * A student as the registry expects them in the systems: their data and whether their account must sign in
 * (habilitada) or be suspended (deshabilitada). Students whose workflow is running, or whose account was
 * deleted on purpose, are not sent: nothing is expected of them until they settle.
 */
export const AlumnoEsperado = z.object({
  alumnoId,
  upn: z.email(),
  alumno: AlumnoDatos,
  cuenta: z.enum(['habilitada', 'deshabilitada']),
});
export type AlumnoEsperado = z.infer<typeof AlumnoEsperado>;
