// Which Moodle courses a student belongs in: those the configuration gives their estado and periodo
// (Configuracion.cursos: estado → periodo or "*" → shortnames) and those their source states (AlumnoDatos
// .cursosFuente: a OneRoster student's classes). moodle-service enrols by it; ingest-service notices a change
// of it; the gateway says it in a lote's plan and starts the change of courses. One rule, declared once.
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

/** What decides a student's courses. `cursosFuente` absent: their source states none. */
export interface DatosDeCursos {
  estado: EstadoAlumno;
  periodo: string;
  cursosFuente?: readonly string[] | undefined;
}

/**
 * The student's courses: the configuration's for their estado and periodo, then the ones their source
 * states, without repeats. A student leaving (baja, egresado) gets no source courses: they are suspended,
 * not enrolled anew.
 */
export function cursosDelAlumno(config: MapaCursos, a: DatosDeCursos): string[] {
  const fuente = esSalida(a.estado) ? [] : (a.cursosFuente ?? []);
  return [...new Set([...cursosPara(config, a.estado, a.periodo), ...fuente])];
}

/** Two lists of the source's courses say the same (as sets; absent is none). */
export function mismosCursos(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = new Set(a ?? []);
  const y = new Set(b ?? []);
  return x.size === y.size && [...x].every((c) => y.has(c));
}

/** The change may change the student's courses: a new estado or periodo, or another list from the source. */
export const cambianLosCursos = (anterior: DatosDeCursos, nuevo: DatosDeCursos) =>
  anterior.estado !== nuevo.estado ||
  anterior.periodo !== nuevo.periodo ||
  !mismosCursos(anterior.cursosFuente, nuevo.cursosFuente);

/**
 * A new estado, periodo or list of source courses: the student's courses now (to be in, cursosDelAlumno),
 * and those they had before that they no longer have, to leave — none when the previous courses are kept.
 * Both read from the same map, the one in force.
 * A student leaving (baja, egresado) leaves none whatever the key: their leave suspends their user, and a
 * return must find them as they were (unenrolling would drop their grades and course data with it).
 */
export function cambioDeCursos(
  config: MapaCursos,
  anterior: DatosDeCursos,
  nuevo: DatosDeCursos,
  cursosAnteriores: CursosAnteriores,
): { nuevos: string[]; aQuitar: string[] } {
  const nuevos = cursosDelAlumno(config, nuevo);
  const aQuitar =
    cursosAnteriores === 'desenrolar' && !esSalida(nuevo.estado)
      ? cursosDelAlumno(config, anterior).filter((c) => !nuevos.includes(c))
      : [];
  return { nuevos, aQuitar };
}
