// A OneRoster student's classes → their Moodle courses, through the runtime key cursosOneRoster: a class's
// own sourcedId first (one section that has a course of its own), else its course's courseCode (every
// section of a subject in one Moodle course). A function of the records only, so the CSV zip (mapeo.ts) and
// the REST API read them the same; a class in neither is returned unmapped, for the lote to note.

/** One of the student's classes as the source states it: its sourcedId and, when known, its course's code. */
export interface ClaseDelAlumno {
  clase: string;
  codigoCurso?: string | null;
}

/** cursosOneRoster: class sourcedId or course code → Moodle course shortname. */
export type MapaClases = Readonly<Record<string, string>>;

export interface CursosDeClases {
  /** Shortnames, sorted, without repeats (AlumnoDatos.cursosFuente). */
  cursos: string[];
  /** The classes the map has no course for, as given. */
  sinCurso: ClaseDelAlumno[];
}

export function cursosDeClases(clases: readonly ClaseDelAlumno[], mapa: MapaClases): CursosDeClases {
  const cursos = new Set<string>();
  const sinCurso: ClaseDelAlumno[] = [];
  for (const c of clases) {
    const shortname = cursoDeClase(c, mapa);
    if (shortname) cursos.add(shortname);
    else sinCurso.push(c);
  }
  return { cursos: [...cursos].sort(), sinCurso };
}

export function cursoDeClase(c: ClaseDelAlumno, mapa: MapaClases): string | undefined {
  const propio = Object.hasOwn(mapa, c.clase) ? mapa[c.clase] : undefined;
  const codigo = c.codigoCurso?.trim();
  return propio ?? (codigo && Object.hasOwn(mapa, codigo) ? mapa[codigo] : undefined);
}
