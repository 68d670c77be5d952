// What a OneRoster read (a zip or a REST pull) notes in its lote without acting on it (AvisoLote): each
// class of active enrollments that cursosOneRoster has no Moodle course for, once per class with how many
// of the students stated it concerns. One function for both sources, so an operator reads the same note.
import type { AvisoLote } from '@lucy/contracts';
import type { Validado } from './csv/validar.js';
import type { MapaClases } from './cursos.js';
import { ARCHIVOS_CSV, clasesDeEstudiante, type ClaseSinCurso, type Colecciones } from './mapeo.js';

/** `estudiantes`: the sourcedIds of the students whose rows the read states. */
export function avisosDeClasesSinCurso(
  d: Validado,
  estudiantes: readonly string[],
  mapa: MapaClases,
  donde: Colecciones = ARCHIVOS_CSV,
): AvisoLote[] {
  const sinCurso = new Map<string, { clase: ClaseSinCurso; alumnos: number }>();
  for (const id of estudiantes)
    for (const c of clasesDeEstudiante(d, id, mapa, donde).sinCurso) {
      const visto = sinCurso.get(c.clase) ?? { clase: c, alumnos: 0 };
      visto.alumnos++;
      sinCurso.set(c.clase, visto);
    }
  return [...sinCurso.values()].map(avisoSinCurso);
}

function avisoSinCurso({ clase: c, alumnos }: { clase: ClaseSinCurso; alumnos: number }): AvisoLote {
  const curso = c.codigoCurso ? ` ni su courseCode "${c.codigoCurso}"` : '';
  return {
    fila: c.linea,
    fuente: c.fuente,
    dni: null,
    motivos: [
      `clase "${c.clase}": ni su sourcedId${curso} está en cursosOneRoster; ${alumnos === 1 ? 'su alumno no se inscribe' : `sus ${alumnos} alumnos no se inscriben`} por ella en ningún curso de Moodle`,
    ],
  };
}

/** The notes in the order an operator reads them: by file (or collection), then line. */
export const enOrden = (avisos: AvisoLote[]) =>
  avisos.sort((a, b) => a.fuente.localeCompare(b.fuente) || a.fila - b.fila);
