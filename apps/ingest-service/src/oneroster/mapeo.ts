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
//   - clasesFuente ← their enrollments as students in classes (each class's sourcedId and its course's
//     courseCode); their courses (cursosFuente) are derived from them through cursosOneRoster (cursos.ts,
//     domain/clases.ts). An enrollments file in bulk is every enrollment: the list is whole (none: no
//     classes). One in delta holds the changes: an active row adds its class, a tobedeleted one removes it,
//     from the classes the registry holds. No enrollments file, or no map (an empty cursosOneRoster: the
//     site does not take courses from the roster): none stated, and the student keeps what the registry holds.
import type { EstadoAlumno, FilaInvalida, FilaOneRoster } from '@lucy/contracts';
import type { ClaseFuente, ClasesEntrantes } from '../domain/clases.js';
import type { FilaCruda } from '../domain/fila.js';
import { cursosDeClases, type MapaClases } from './cursos.js';
import { separarLista } from './csv/reglas.js';
import type { Validado } from './csv/validar.js';

export const FUENTE_USUARIOS = 'users.csv';

export type Mapeado = { fila: FilaCruda; error?: never } | { error: FilaInvalida; fila?: never };

const v = (f: FilaOneRoster | undefined, c: string) => f?.valores[c]?.trim() ?? '';

export const esEstudiante = (u: FilaOneRoster) => v(u, 'role') === 'student';

// Each read's enrollments as a student, by student, built once: a student's row, their periodo and the
// lote's notes each ask for them, and a scan of every enrollment per student grew with students × enrollments.
const porAlumno = new WeakMap<Validado, Map<string, FilaOneRoster[]>>();

/** The student's enrollments as a student, active ones first. */
export function inscripcionesDe(d: Validado, userId: string): FilaOneRoster[] {
  let indice = porAlumno.get(d);
  if (!indice) {
    indice = new Map();
    for (const e of d.registros.enrollments.values()) {
      if (v(e, 'role') !== 'student') continue;
      const user = v(e, 'userSourcedId');
      const suyas = indice.get(user);
      if (suyas) suyas.push(e);
      else indice.set(user, [e]);
    }
    const activasPrimero = (a: FilaOneRoster, b: FilaOneRoster) =>
      Number(v(a, 'status') === 'tobedeleted') - Number(v(b, 'status') === 'tobedeleted');
    for (const suyas of indice.values()) suyas.sort(activasPrimero);
    porAlumno.set(d, indice);
  }
  return indice.get(userId) ?? [];
}

/** A class the map has no course for, with where the record that names it is (its file and line). */
export type ClaseSinCurso = ClaseFuente & { fuente: string; linea: number };

/** Where a class and an enrollment are found: the zip's files, or the REST collections they were read from. */
export interface Colecciones {
  clases: string;
  inscripciones: string;
}
export const ARCHIVOS_CSV: Colecciones = { clases: 'classes.csv', inscripciones: 'enrollments.csv' };

/**
 * The source's classes for the student (see the header), and their active classes the map has no course
 * for. Undefined classes: the zip has no enrollments file, or the map is empty.
 */
export function clasesDeEstudiante(
  d: Validado,
  userId: string,
  mapa: MapaClases,
  donde: Colecciones = ARCHIVOS_CSV,
): { clases?: ClasesEntrantes; sinCurso: ClaseSinCurso[] } {
  const modo = d.modos.enrollments;
  if (!modo || Object.keys(mapa).length === 0) return { sinCurso: [] };
  const deClase = (e: FilaOneRoster): ClaseSinCurso => {
    const id = v(e, 'classSourcedId');
    const clase = d.registros.classes.get(id);
    const curso = d.registros.courses.get(v(clase, 'courseSourcedId'));
    return {
      clase: id,
      codigoCurso: v(curso, 'courseCode') || null,
      ...(clase ? { fuente: donde.clases, linea: clase.linea } : { fuente: donde.inscripciones, linea: e.linea }),
    };
  };
  const suyas = inscripcionesDe(d, userId);
  const activas = suyas.filter((e) => v(e, 'status') !== 'tobedeleted').map(deClase);
  const { sinCurso } = cursosDeClases(activas, mapa);
  const porClase = new Map(activas.map((c) => [c.clase, c]));
  const sinCursoConLinea = sinCurso.map((c) => porClase.get(c.clase)!);
  const clase = ({ clase, codigoCurso }: ClaseSinCurso): ClaseFuente => ({ clase, codigoCurso: codigoCurso ?? null });
  if (modo === 'bulk') return { clases: activas.map(clase), sinCurso: sinCursoConLinea };
  const quitadas = suyas.filter((e) => v(e, 'status') === 'tobedeleted').map(deClase);
  return { clases: { agregar: activas.map(clase), quitar: quitadas.map(clase) }, sinCurso: sinCursoConLinea };
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
  const { clases } = clasesDeEstudiante(d, v(u, 'sourcedId'), mapa);
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
      ...(clases ? { clasesFuente: clases } : {}),
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
