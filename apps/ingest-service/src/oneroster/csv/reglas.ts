// What each OneRoster 1.1 column may hold (IMS OneRoster v1.1 CSV Tables, the table of each file, its
// "Format" column; the enumerations are those of the OneRoster 1.1 Information Model, "Enumerated Vocabularies").
// Lists of GUIDs are comma-separated inside one quoted cell ("List of GUIDs" in the tables).
import type { ArchivoOneRoster } from '@lucy/contracts';

export type Regla =
  | { tipo: 'enum'; valores: readonly string[] }
  | { tipo: 'fecha' }
  | { tipo: 'fechaHora' }
  | { tipo: 'anio' }
  | { tipo: 'ref'; a: ArchivoOneRoster; lista?: boolean };

const BOOLEANO = { tipo: 'enum', valores: ['true', 'false'] } as const;

/** Per file, per column: the format its value must have when it has one. */
export const REGLAS: Record<ArchivoOneRoster, Record<string, Regla>> = {
  academicSessions: {
    type: { tipo: 'enum', valores: ['gradingPeriod', 'semester', 'schoolYear', 'term'] },
    startDate: { tipo: 'fecha' },
    endDate: { tipo: 'fecha' },
    parentSourcedId: { tipo: 'ref', a: 'academicSessions' },
    schoolYear: { tipo: 'anio' },
  },
  orgs: {
    type: { tipo: 'enum', valores: ['department', 'school', 'district', 'local', 'state', 'national'] },
    parentSourcedId: { tipo: 'ref', a: 'orgs' },
  },
  courses: {
    schoolYearSourcedId: { tipo: 'ref', a: 'academicSessions' },
    orgSourcedId: { tipo: 'ref', a: 'orgs' },
  },
  classes: {
    courseSourcedId: { tipo: 'ref', a: 'courses' },
    classType: { tipo: 'enum', valores: ['homeroom', 'scheduled'] },
    schoolSourcedId: { tipo: 'ref', a: 'orgs' },
    termSourcedIds: { tipo: 'ref', a: 'academicSessions', lista: true },
  },
  users: {
    enabledUser: BOOLEANO,
    orgSourcedIds: { tipo: 'ref', a: 'orgs', lista: true },
    role: {
      tipo: 'enum',
      valores: ['administrator', 'aide', 'guardian', 'parent', 'proctor', 'relative', 'student', 'teacher'],
    },
    agentSourcedIds: { tipo: 'ref', a: 'users', lista: true },
  },
  enrollments: {
    classSourcedId: { tipo: 'ref', a: 'classes' },
    schoolSourcedId: { tipo: 'ref', a: 'orgs' },
    userSourcedId: { tipo: 'ref', a: 'users' },
    role: { tipo: 'enum', valores: ['administrator', 'proctor', 'student', 'teacher'] },
    primary: BOOLEANO,
    beginDate: { tipo: 'fecha' },
    endDate: { tipo: 'fecha' },
  },
};

/** CSV Tables, "Bulk and delta processing": a delta row says whether the record is new or changed, or goes. */
export const ESTADOS_DE_REGISTRO = ['active', 'tobedeleted'] as const;

export const separarLista = (valor: string) =>
  valor
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

const FECHA = /^(\d{4})-(\d{2})-(\d{2})$/;
// dateLastModified: an ISO 8601 date and time, in UTC (CSV Tables: "YYYY-MM-DDTHH:MM:SS.sssZ").
const FECHA_HORA = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;

const fechaReal = (v: string) => {
  const m = FECHA.exec(v);
  if (!m) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
};

/** Why a value breaks its rule (refs are checked elsewhere, against the files), or null. */
export function motivoDeFormato(regla: Regla, valor: string): string | null {
  switch (regla.tipo) {
    case 'enum':
      return regla.valores.includes(valor) ? null : `"${valor}" no es uno de ${regla.valores.join(', ')}`;
    case 'fecha':
      return fechaReal(valor) ? null : `"${valor}" no es una fecha AAAA-MM-DD`;
    case 'fechaHora':
      return FECHA_HORA.test(valor) && !Number.isNaN(Date.parse(valor))
        ? null
        : `"${valor}" no es una fecha y hora ISO 8601 (AAAA-MM-DDTHH:MM:SS.sssZ)`;
    case 'anio':
      return /^\d{4}$/.test(valor) ? null : `"${valor}" no es un año AAAA`;
    case 'ref':
      return null;
  }
}
