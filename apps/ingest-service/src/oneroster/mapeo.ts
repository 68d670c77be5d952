// A OneRoster student → Lucy's row (domain/fila.ts checks it like any other source's):
//   - students are users with role `student` (1.1 Information Model, "RoleType"); other users are ignored;
//   - dni ← identifier (the institution's identifier of the person, CSV Tables users.csv);
//   - nombre ← givenName (+ middleName), apellido ← familyName, emailPersonal ← email (where the student is
//     reached before having an institutional account); the institutional email stays Lucy's to make;
//   - carrera ← the name of their org (of their orgSourcedIds, the first of type `department`, else the first);
//   - periodo ← the title of the academic session of their classes (the termSourcedIds of the classes they
//     are enrolled in as students, the latest to start), else of the latest schoolYear session in the zip;
//   - estado ← `baja` for a row `tobedeleted` (delta) or a user no longer enabled (enabledUser false): the
//     student leaves and is suspended, never deleted at once; `ingresante` otherwise.
import type { EstadoAlumno, FilaInvalida, FilaOneRoster } from '@lucy/contracts';
import type { FilaCruda } from '../domain/fila.js';
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

export function filaDeEstudiante(d: Validado, u: FilaOneRoster): Mapeado {
  const dni = v(u, 'identifier') || null;
  const error = (motivo: string): Mapeado => ({
    error: { fila: u.linea, fuente: FUENTE_USUARIOS, dni, motivos: [motivo] },
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
  return {
    fila: {
      fila: u.linea,
      fuente: FUENTE_USUARIOS,
      dni,
      nombre: [v(u, 'givenName'), v(u, 'middleName')].filter(Boolean).join(' '),
      apellido: v(u, 'familyName'),
      emailPersonal: v(u, 'email') || null,
      carrera,
      estado,
      periodo,
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
