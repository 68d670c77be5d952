// A OneRoster student → Lucy's row (domain/fila.ts checks it like any other source's):
//   - students are users with role `student` (1.1 Information Model, "RoleType"); other users are ignored;
//   - dni ← identifier (the institution's identifier of the person, CSV Tables users.csv);
//   - nombre ← givenName (+ middleName), apellido ← familyName, emailPersonal ← email (where the student is
//     reached before having an institutional account); the institutional email stays Lucy's to make;
//   - carrera ← the name of their org (of their orgSourcedIds, the first of type `department`, else the first);
//   - periodo ← the title of the academic session of their classes (the termSourcedIds of the classes they
//     are enrolled in as students, the latest to start), else of the latest schoolYear session in the zip;
//   - estado ← `baja` for a row `tobedeleted` (delta) or a user no longer enabled (enabledUser false): the
//     student leaves and is suspended, never deleted at once; `ingresante` otherwise;
//   - cursosFuente ← their enrollments as students in classes, each class through cursosOneRoster (its
//     sourcedId, else its course's courseCode; cursos.ts). An enrollments file in bulk is every enrollment:
//     the list is whole (none: no courses of the source). One in delta holds the changes: an active row adds
//     its course, a tobedeleted one removes it, from what the registry holds. No enrollments file, or no map
//     (an empty cursosOneRoster: the site does not take courses from the roster): none stated, and the
//     student keeps the ones the registry holds.
import type { EstadoAlumno, FilaInvalida, FilaOneRoster } from '@lucy/contracts';
import type { CursosEntrantes, FilaCruda } from '../domain/fila.js';
import { cursosDeClases, type ClaseDelAlumno, type MapaClases } from './cursos.js';
import { separarLista } from './csv/reglas.js';
import type { Validado } from './csv/validar.js';

export const FUENTE_USUARIOS = 'users.csv';

export type Mapeado = { fila: FilaCruda; error?: never } | { error: FilaInvalida; fila?: never };

const v = (f: FilaOneRoster | undefined, c: string) => f?.valores[c]?.trim() ?? '';

export const esEstudiante = (u: FilaOneRoster) => v(u, 'role') === 'student';

/** The student's enrollments as a student, active ones first. */
export function inscripcionesDe(d: Validado, userId: string): FilaOneRoster[] {
  const suyas = [...d.registros.enrollments.values()].filter(
    (e) => v(e, 'userSourcedId') === userId && v(e, 'role') === 'student',
  );
  return suyas.sort((a, b) => Number(v(a, 'status') === 'tobedeleted') - Number(v(b, 'status') === 'tobedeleted'));
}

/** A class the map has no course for, with the line of the record that names it. */
export type ClaseSinCurso = ClaseDelAlumno & { fuente: string; linea: number };

/**
 * The source's courses for the student (see the header), and their active classes the map has no course
 * for. Undefined courses: the zip has no enrollments file.
 */
export function cursosDeEstudiante(
  d: Validado,
  userId: string,
  mapa: MapaClases,
): { cursos?: CursosEntrantes; sinCurso: ClaseSinCurso[] } {
  const modo = d.modos.enrollments;
  if (!modo || Object.keys(mapa).length === 0) return { sinCurso: [] };
  const deClase = (e: FilaOneRoster): ClaseSinCurso => {
    const id = v(e, 'classSourcedId');
    const clase = d.registros.classes.get(id);
    const curso = d.registros.courses.get(v(clase, 'courseSourcedId'));
    return {
      clase: id,
      codigoCurso: v(curso, 'courseCode') || null,
      ...(clase ? { fuente: 'classes.csv', linea: clase.linea } : { fuente: 'enrollments.csv', linea: e.linea }),
    };
  };
  const suyas = inscripcionesDe(d, userId);
  const activas = suyas.filter((e) => v(e, 'status') !== 'tobedeleted').map(deClase);
  const { cursos, sinCurso } = cursosDeClases(activas, mapa);
  const porClase = new Map(activas.map((c) => [c.clase, c]));
  const sinCursoConLinea = sinCurso.map((c) => porClase.get(c.clase)!);
  if (modo === 'bulk') return { cursos, sinCurso: sinCursoConLinea };
  const quitadas = suyas.filter((e) => v(e, 'status') === 'tobedeleted').map(deClase);
  const quitar = cursosDeClases(quitadas, mapa).cursos.filter((c) => !cursos.includes(c));
  return { cursos: { agregar: cursos, quitar }, sinCurso: sinCursoConLinea };
}

/** `fuente`: where the operator finds the row (users.csv and its line; the REST source's `students`). */
export function filaDeEstudiante(
  d: Validado,
  u: FilaOneRoster,
  mapa: MapaClases = {},
  fuente = FUENTE_USUARIOS,
): Mapeado {
  const dni = v(u, 'identifier') || null;
  const error = (motivo: string): Mapeado => ({
    error: { fila: u.linea, fuente, dni, motivos: [motivo] },
  });
  const carrera = carreraDe(d, u);
  if (carrera === null)
    return error('orgSourcedIds: ninguna de sus orgs está en orgs.csv (la carrera es el nombre de su org)');
  const periodo = periodoDe(d, u);
  if (periodo === null)
    return error(
      'enrollments: no tiene clases con periodo (termSourcedIds) ni hay un schoolYear en academicSessions.csv (el periodo es el título de la sesión)',
    );
  const sale = v(u, 'status') === 'tobedeleted' || v(u, 'enabledUser') === 'false';
  const estado: EstadoAlumno = sale ? 'baja' : 'ingresante';
  const { cursos } = cursosDeEstudiante(d, v(u, 'sourcedId'), mapa);
  return {
    fila: {
      fila: u.linea,
      fuente,
      dni,
      nombre: [v(u, 'givenName'), v(u, 'middleName')].filter(Boolean).join(' '),
      apellido: v(u, 'familyName'),
      emailPersonal: v(u, 'email') || null,
      carrera,
      estado,
      periodo,
      ...(cursos ? { cursosFuente: cursos } : {}),
    },
  };
}

function carreraDe(d: Validado, u: FilaOneRoster): string | null {
  const orgs = separarLista(v(u, 'orgSourcedIds')).flatMap((id) => d.registros.orgs.get(id) ?? []);
  const org = orgs.find((o) => v(o, 'type') === 'department') ?? orgs[0];
  return org ? v(org, 'name') : null;
}

function periodoDe(d: Validado, u: FilaOneRoster): string | null {
  const sesiones = d.registros.academicSessions;
  const deClases = inscripcionesDe(d, v(u, 'sourcedId'))
    .flatMap((e) => separarLista(v(d.registros.classes.get(v(e, 'classSourcedId')), 'termSourcedIds')))
    .flatMap((id) => sesiones.get(id) ?? []);
  const candidatas = deClases.length
    ? deClases
    : [...sesiones.values()].filter((s) => v(s, 'type') === 'schoolYear' && v(s, 'status') !== 'tobedeleted');
  const ultima = candidatas.sort((a, b) => v(b, 'startDate').localeCompare(v(a, 'startDate')))[0];
  return ultima ? v(ultima, 'title') : null;
}
