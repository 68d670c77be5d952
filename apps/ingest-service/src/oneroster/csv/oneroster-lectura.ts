// The adapter of a OneRoster 1.1 CSV zip (fuentes/lectura.ts): the rows the specification finds invalid
// (validar.ts) and the students the rest state (mapeo.ts). A users.csv sent in bulk is the whole roster
// (CSV Tables, "Bulk and delta processing"): it is a complete list, and a student it no longer holds counts
// an absence, as a SIAL list read whole does. One sent as delta holds only what changed: no absence counts.
// The classes of active enrollments with no Moodle course in cursosOneRoster are noted in the lote (avisos,
// ../avisos.ts), once per class; so is a delta enrollment of a student whose users.csv row this zip does not carry (their
// courses are on the student's row: without it, the change is not applied).
import type { AvisoLote, RegistrarLoteOneRoster } from '@lucy/contracts';
import type { ListaLeida } from '../../domain/ausencias.js';
import { leerDni } from '../../domain/dni.js';
import type { AdaptadorFuente, Lectura } from '../../fuentes/lectura.js';
import { avisosDeClasesSinCurso, enOrden } from '../avisos.js';
import type { MapaClases } from '../cursos.js';
import { esEstudiante, filaDeEstudiante } from '../mapeo.js';
import { validar, type Validado } from './validar.js';

/** The list a OneRoster roster is, for the roll call (alumno.lista_sial). */
export const LISTA_ONEROSTER = 'oneroster';

export const lecturaDeOneRoster: AdaptadorFuente<
  Pick<RegistrarLoteOneRoster, 'archivos'> & { cursosOneRoster?: MapaClases }
> = ({ archivos, cursosOneRoster: mapa = {} }) => {
  const validado = validar(archivos);
  const lectura: Lectura = { filas: [], errores: [...validado.errores] };
  const estudiantes: string[] = [];
  for (const u of validado.registros.users.values()) {
    if (!esEstudiante(u)) continue;
    const r = filaDeEstudiante(validado, u, mapa);
    if (r.error) lectura.errores.push(r.error);
    else {
      lectura.filas.push(r.fila);
      estudiantes.push(u.valores.sourcedId!.trim());
    }
  }
  if (archivos.users?.modo === 'bulk') lectura.listas = [listaDe(archivos.users.filas)];
  lectura.errores.sort((a, b) => a.fuente.localeCompare(b.fuente) || a.fila - b.fila);
  const avisos = [...avisosDeClasesSinCurso(validado, estudiantes, mapa), ...inscripcionesSinAlumno(validado)];
  if (avisos.length) lectura.avisos = enOrden(avisos);
  return lectura;
};

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
