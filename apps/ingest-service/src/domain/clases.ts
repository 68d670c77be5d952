// A student's classes as their source states them (a OneRoster roster). The registry keeps the classes,
// not only the Moodle courses they give: several classes can give one course, so a change of classes (a
// delta's enrollments) is applied to the classes, and the courses (cursosFuente) are derived from what
// remains through the map in force (cursosOneRoster) — a class removed does not take away a course another
// class still gives.
import { cursosDeClases, type ClaseDelAlumno, type MapaClases } from '../oneroster/cursos.js';

/** One class as the registry keeps it: its sourcedId and its course's code (null when the source names none). */
export type ClaseFuente = Required<ClaseDelAlumno>;

/** The source's classes for the student: the whole list, or what changed (classes added, classes gone). */
export type ClasesEntrantes =
  readonly ClaseFuente[] | { agregar: readonly ClaseFuente[]; quitar: readonly ClaseFuente[] };

/**
 * The classes after the row: its whole list, or the known ones with what it adds and without what it
 * removes (a class both added and removed stays: another of its enrollments is active). Sorted by class,
 * each once, so two lists that say the same are equal.
 */
export function clasesTras(conocidas: readonly ClaseFuente[] | null | undefined, entrantes: ClasesEntrantes) {
  const porClase = new Map<string, ClaseFuente>();
  const poner = (c: ClaseFuente) => porClase.set(c.clase, { clase: c.clase, codigoCurso: c.codigoCurso ?? null });
  if ('agregar' in entrantes) {
    (conocidas ?? []).forEach(poner);
    for (const c of entrantes.quitar) porClase.delete(c.clase);
    // A delta zip may not carry classes.csv and courses.csv again: a class it names without its course's
    // code keeps the code known for it.
    for (const c of entrantes.agregar)
      poner({ ...c, codigoCurso: c.codigoCurso ?? conocidas?.find((k) => k.clase === c.clase)?.codigoCurso ?? null });
  } else entrantes.forEach(poner);
  return [...porClase.values()].sort((a, b) => a.clase.localeCompare(b.clase));
}

export const mismasClases = (
  a: readonly ClaseFuente[] | null | undefined,
  b: readonly ClaseFuente[] | null | undefined,
) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The Moodle courses the classes give through the map (sorted, each once). */
export const cursosDe = (clases: readonly ClaseFuente[], mapa: MapaClases) => cursosDeClases(clases, mapa).cursos;
