// The adapter of a OneRoster 1.1 CSV zip (fuentes/lectura.ts): the rows the specification finds invalid
// (validar.ts) and the students the rest state (mapeo.ts). A users.csv sent in bulk is the whole roster
// (CSV Tables, "Bulk and delta processing"): it is a complete list, and a student it no longer holds counts
// an absence, as a SIAL list read whole does. One sent as delta holds only what changed: no absence counts.
// The classes of active enrollments with no Moodle course in cursosOneRoster are noted in the lote (avisos),
// once per class; so is a delta enrollment of a student whose users.csv row this zip does not carry (their
// courses are on the student's row: without it, the change is not applied).
import type { AvisoLote, RegistrarLoteOneRoster } from '@lucy/contracts';
import type { ListaLeida } from '../../domain/ausencias.js';
import { leerDni } from '../../domain/dni.js';
import type { AdaptadorFuente, Lectura } from '../../fuentes/lectura.js';
import type { MapaClases } from '../cursos.js';
import { cursosDeEstudiante, esEstudiante, filaDeEstudiante, type ClaseSinCurso } from '../mapeo.js';
import { validar, type Validado } from './validar.js';

/** The list a OneRoster roster is, for the roll call (alumno.lista_sial). */
export const LISTA_ONEROSTER = 'oneroster';

export const lecturaDeOneRoster: AdaptadorFuente<
  Pick<RegistrarLoteOneRoster, 'archivos'> & { cursosOneRoster?: MapaClases }
> = ({ archivos, cursosOneRoster: mapa = {} }) => {
  const validado = validar(archivos);
  const lectura: Lectura = { filas: [], errores: [...validado.errores] };
  const sinCurso = new Map<string, { clase: ClaseSinCurso; alumnos: number }>();
  for (const u of validado.registros.users.values()) {
    if (!esEstudiante(u)) continue;
    const r = filaDeEstudiante(validado, u, mapa);
    if (r.error) lectura.errores.push(r.error);
    else lectura.filas.push(r.fila);
    if (r.error) continue;
    for (const c of cursosDeEstudiante(validado, u.valores.sourcedId!.trim(), mapa).sinCurso) {
      const visto = sinCurso.get(c.clase) ?? { clase: c, alumnos: 0 };
      visto.alumnos++;
      sinCurso.set(c.clase, visto);
    }
  }
  if (archivos.users?.modo === 'bulk') lectura.listas = [listaDe(archivos.users.filas)];
  lectura.errores.sort((a, b) => a.fuente.localeCompare(b.fuente) || a.fila - b.fila);
  const avisos = [...[...sinCurso.values()].map(avisoSinCurso), ...inscripcionesSinAlumno(validado)];
  if (avisos.length) lectura.avisos = avisos.sort((a, b) => a.fuente.localeCompare(b.fuente) || a.fila - b.fila);
  return lectura;
};

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

/** Delta enrollments of students whose users.csv row is not in this zip: their change is not applied. */
function inscripcionesSinAlumno(d: Validado): AvisoLote[] {
  if (d.modos.enrollments !== 'delta') return [];
  return [...d.registros.enrollments.values()]
    .filter((e) => e.valores.role?.trim() === 'student' && !d.registros.users.has(e.valores.userSourcedId!.trim()))
    .map((e) => ({
      fila: e.linea,
      fuente: 'enrollments.csv',
      dni: null,
      motivos: [
        `userSourcedId: "${e.valores.userSourcedId!.trim()}" no está en users.csv de este envío: el cambio de sus cursos no se aplica (enviá también su fila de users.csv)`,
      ],
    }));
}

/**
 * Every student's DNI in the file (or in a full read of the REST source), valid row or not: any row of
 * theirs is presence.
 */
export function listaDe(usuarios: NonNullable<RegistrarLoteOneRoster['archivos']['users']>['filas']): ListaLeida {
  const dnis = new Set<string>();
  for (const u of usuarios) {
    if (u.valores.role?.trim() !== 'student' || u.valores.status?.trim() === 'tobedeleted') continue;
    const dni = leerDni(u.valores.identifier);
    if (dni.ok) dnis.add(dni.dni);
  }
  return { lista: LISTA_ONEROSTER, estado: 'ingresante', dnis, completa: dnis.size > 0 };
}
