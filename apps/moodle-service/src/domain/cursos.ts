// Which Moodle courses a student belongs in: configured per estado and academic period
// (MOODLE_CURSOS, or the runtime key cursos). Pure: no Moodle, no database.
import { type Configuracion, EstadoAlumno, esSalida } from '@lucy/contracts';
import { z } from 'zod';

/** Any period: the courses under "*" apply whatever the student's periodo is. */
export const CUALQUIER_PERIODO = '*';

export const CursosConfigSchema = z.partialRecord(
  EstadoAlumno,
  z.record(z.string().min(1), z.array(z.string().trim().min(1))),
);
export type CursosConfig = z.infer<typeof CursosConfigSchema>;

/** Why a course map cannot be used (an unknown estado, a blank shortname...), or undefined when it can. */
export function problemaCursos(valor: unknown): string | undefined {
  const r = CursosConfigSchema.safeParse(valor);
  if (r.success) return undefined;
  return `must map estado → periodo (or "*") → course shortnames: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
}

/**
 * The shortnames for this estado and periodo: those configured for the exact periodo followed by
 * those under "*" (a union: "*" means "every period", so it adds to a period's own list rather than
 * standing in for it), without repeats. An estado or periodo with nothing configured yields [].
 */
export function cursosPara(config: CursosConfig, estado: EstadoAlumno, periodo: string): string[] {
  const porPeriodo = config[estado] ?? {};
  const lista = [
    ...(periodo === CUALQUIER_PERIODO ? [] : (porPeriodo[periodo] ?? [])),
    ...(porPeriodo[CUALQUIER_PERIODO] ?? []),
  ];
  return [...new Set(lista)];
}

/** What becomes of the previous estado/periodo's courses the new one does not list (runtime key cursosAnteriores). */
export type CursosAnteriores = Configuracion['cursosAnteriores'];

interface EstadoYPeriodo {
  estado: EstadoAlumno;
  periodo: string;
}

/**
 * A new estado or periodo: the courses of the new one (to be in), and the previous one's the new one does
 * not list, to leave — none when the previous courses are kept. Both read from the same map, the one in force.
 * A student leaving (baja, egresado) leaves none whatever the key: their leave suspends their user, and a
 * return must find them as they were (unenrolling would drop their grades and course data with it).
 */
export function cambioDeCursos(
  config: CursosConfig,
  anterior: EstadoYPeriodo,
  nuevo: EstadoYPeriodo,
  cursosAnteriores: CursosAnteriores,
): { nuevos: string[]; aQuitar: string[] } {
  const nuevos = cursosPara(config, nuevo.estado, nuevo.periodo);
  const aQuitar =
    cursosAnteriores === 'desenrolar' && !esSalida(nuevo.estado)
      ? cursosPara(config, anterior.estado, anterior.periodo).filter((c) => !nuevos.includes(c))
      : [];
  return { nuevos, aQuitar };
}
