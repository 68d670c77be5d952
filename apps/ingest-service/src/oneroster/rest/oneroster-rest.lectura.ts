// The adapter of a OneRoster REST pull (fuentes/lectura.ts): the server's objects are put in the shape of
// the CSV package's rows (the same columns: orgSourcedIds, termSourcedIds, userSourcedId, …) and mapped by
// the one mapping both share (mapeo.ts), so a student reads the same from either. A full read is the
// whole roster, a complete list: a student it no longer holds counts an absence, as a SIAL list read whole
// does. A read of changes is no list of anybody: an absence from it counts nothing, and a student leaves
// only when the server says so (status tobedeleted, or enabledUser false).
// Each student stated comes with all their enrollments (oneroster-rest.fuente.ts), so their classes (and
// the Moodle courses they give through cursosOneRoster) are their whole list, as a bulk enrollments.csv
// states it; a class the map has no course for is noted in the lote as a zip notes it (../avisos.ts), found
// by its collection (classes, or enrollments for a class not read) and its place in the read.
import type { FilaOneRoster } from '@lucy/contracts';
import type { AdaptadorFuente, Lectura } from '../../fuentes/lectura.js';
import { listaDe } from '../csv/oneroster-lectura.js';
import type { Validado } from '../csv/validar.js';
import { avisosDeClasesSinCurso, enOrden } from '../avisos.js';
import type { MapaClases } from '../cursos.js';
import { esEstudiante, filaDeEstudiante, type Colecciones } from '../mapeo.js';
import type {
  ClaseOneRoster,
  CursoOneRoster,
  InscripcionOneRoster,
  OrgOneRoster,
  SesionOneRoster,
  UsuarioOneRoster,
} from './oneroster-rest.records.js';

/** Where a REST row is found: the collection it came from (its line is its place in the read). */
export const FUENTE_REST = 'students';
const COLECCIONES: Colecciones = { clases: 'classes', inscripciones: 'enrollments' };

/** What a pull brought: the students to state, and what their carrera and periodo are read from. */
export interface LeidoOneRoster {
  /** Everything (`true`: the whole roster) or only what changed since the mark. */
  completa: boolean;
  alumnos: UsuarioOneRoster[];
  clases: ClaseOneRoster[];
  inscripciones: InscripcionOneRoster[];
  /** The classes' courses (their courseCode places a class in Moodle); none when no map asks for them. */
  cursos?: CursoOneRoster[];
  orgs: OrgOneRoster[];
  sesiones: SesionOneRoster[];
}

type Objeto = { sourcedId: string } & Record<string, unknown>;

const texto = (x: unknown): string =>
  typeof x === 'string' ? x : typeof x === 'boolean' || typeof x === 'number' ? String(x) : '';
const ref = (x: unknown): string => texto((x as { sourcedId?: unknown } | undefined)?.sourcedId);
const refs = (x: unknown): string => (Array.isArray(x) ? x.map(ref).filter(Boolean).join(',') : '');

/** An object as the CSV row of its file: the columns mapeo.ts reads, with their CSV names. */
function fila(o: Objeto, linea: number, columnas: Record<string, (o: Objeto) => string>): FilaOneRoster {
  const valores: Record<string, string> = { sourcedId: o.sourcedId, status: texto(o.status) };
  for (const [c, de] of Object.entries(columnas)) valores[c] = de(o);
  return { linea, valores };
}

const USUARIO = {
  enabledUser: (o: Objeto) => (o.enabledUser === false ? 'false' : 'true'),
  orgSourcedIds: (o: Objeto) => refs(o.orgs),
  role: (o: Objeto) => texto(o.role),
  givenName: (o: Objeto) => texto(o.givenName),
  middleName: (o: Objeto) => texto(o.middleName),
  familyName: (o: Objeto) => texto(o.familyName),
  identifier: (o: Objeto) => texto(o.identifier),
  email: (o: Objeto) => texto(o.email),
};
const ORG = { name: (o: Objeto) => texto(o.name), type: (o: Objeto) => texto(o.type) };
const SESION = {
  title: (o: Objeto) => texto(o.title),
  type: (o: Objeto) => texto(o.type),
  startDate: (o: Objeto) => texto(o.startDate),
};
const CLASE = { termSourcedIds: (o: Objeto) => refs(o.terms), courseSourcedId: (o: Objeto) => ref(o.course) };
const CURSO = { courseCode: (o: Objeto) => texto(o.courseCode) };
const INSCRIPCION = {
  userSourcedId: (o: Objeto) => ref(o.user),
  classSourcedId: (o: Objeto) => ref(o.class),
  role: (o: Objeto) => texto(o.role),
};

function porId(objetos: readonly Objeto[], columnas: Record<string, (o: Objeto) => string>) {
  return new Map(objetos.map((o, i) => [o.sourcedId, fila(o, i + 1, columnas)]));
}

export const lecturaDeOneRosterRest: AdaptadorFuente<LeidoOneRoster & { cursosOneRoster?: MapaClases }> = ({
  cursosOneRoster: mapa = {},
  ...leido
}) => {
  const usuarios = leido.alumnos.map((u, i) => fila(u as Objeto, i + 1, USUARIO));
  const validado: Validado = {
    registros: {
      users: new Map(usuarios.map((u) => [u.valores.sourcedId!, u])),
      orgs: porId(leido.orgs as Objeto[], ORG),
      academicSessions: porId(leido.sesiones as Objeto[], SESION),
      courses: porId((leido.cursos ?? []) as Objeto[], CURSO),
      classes: porId(leido.clases as Objeto[], CLASE),
      enrollments: porId(leido.inscripciones as Objeto[], INSCRIPCION),
    },
    errores: [],
    modos: { enrollments: 'bulk' },
  };
  const lectura: Lectura = { filas: [], errores: [] };
  const estudiantes: string[] = [];
  for (const u of usuarios) {
    // A removed student sent as a bare stub has no role: it is one of the students read, so it is one.
    if (!esEstudiante(u) && !(u.valores.status === 'tobedeleted' && !u.valores.role)) continue;
    const r = filaDeEstudiante(validado, u, mapa, FUENTE_REST);
    if (r.error) lectura.errores.push(r.error);
    else {
      lectura.filas.push(r.fila);
      estudiantes.push(u.valores.sourcedId!.trim());
    }
  }
  if (leido.completa) lectura.listas = [listaDe(usuarios)];
  const avisos = avisosDeClasesSinCurso(validado, estudiantes, mapa, COLECCIONES);
  if (avisos.length) lectura.avisos = enOrden(avisos);
  return lectura;
};
