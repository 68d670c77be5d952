// Which Moodle courses the configuration gives a student (Configuracion.cursos: estado → periodo or "*" →
// shortnames). moodle-service enrols by it; the gateway says it in a lote's plan. One rule, declared once.
import { esSalida, type EstadoAlumno } from './alumno.js';

/** Any period: the courses under "*" apply whatever the student's periodo is. */
export const CUALQUIER_PERIODO = '*';

/** estado → periodo (or "*") → course shortnames. */
export type MapaCursos = Partial<Record<EstadoAlumno, Record<string, readonly string[]>>>;

/**
 * The shortnames for this estado and periodo: those configured for the exact periodo followed by
 * those under "*" (a union: "*" means "every period", so it adds to a period's own list rather than
 * standing in for it), without repeats. An estado or periodo with nothing configured yields [].
 */
export function cursosPara(config: MapaCursos, estado: EstadoAlumno, periodo: string): string[] {
  const porPeriodo = config[estado] ?? {};
  const lista = [
    ...(periodo === CUALQUIER_PERIODO ? [] : (porPeriodo[periodo] ?? [])),
    ...(porPeriodo[CUALQUIER_PERIODO] ?? []),
  ];
  return [...new Set(lista)];
}

/** What becomes of the previous estado/periodo's courses the new one does not list (runtime key cursosAnteriores). */
export type CursosAnteriores = 'conservar' | 'desenrolar';

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
  config: MapaCursos,
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
