// The roster a OneRoster SIS would hand out for the faculty: built from the SIAL cohort (same seed, same
// awkward people: DNIs with dots and spaces, accents, ñ, apostrophes, doubled spaces, missing, empty and
// malformed emails, the same DNI twice) so both sources are tested against the same trouble.
//   - orgs: the faculty (a school) and one department per carrera;
//   - academicSessions: the school year and its two semesters;
//   - courses: the intake courses and one first-year course per carrera; their courseCode is the Moodle
//     shortname, except the Tecnicatura's (TUGC-101), which only a configured map can place;
//   - classes: one per course in the first semester, two commissions of the intake mathematics;
//   - users: every person of the three SIAL lists is a student (applicants take the intake course too),
//     plus a few teachers; a DNI the SIS holds twice with other data (a re-submitted form) is two users
//     with the same identifier, as a real SIS export shows it; the same record listed twice is one user;
//   - enrollments: everyone in the intake classes, ingresantes also in their carrera's first course.
// Everything carries the same dateLastModified (the last bulk load); the store moves it on each change.
import { generateCohort, type SialRecord } from '../sial/sial.generator.js';
import { dniNormalizado } from '../sial/sial.edits.js';
import type { AcademicSession, Class, Course, Enrollment, Org, Roster, User } from './oneroster.model.js';
import { ref } from './oneroster.model.js';

export interface RosterConfig {
  size: number;
  seed: number;
  year: number;
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

export const FACULTAD = 'org-fce';
const CARRERA_CURSO: Record<string, { code: string; title: string }> = {
  'Contador Público': { code: 'CP-101', title: 'Contabilidad Básica' },
  'Licenciatura en Economía': { code: 'LE-101', title: 'Introducción a la Economía' },
  'Licenciatura en Administración': { code: 'LA-101', title: 'Administración General' },
  'Tecnicatura Universitaria en Gestión Contable': { code: 'TUGC-101', title: 'Gestión Contable I' },
};
const INGRESO = [
  { code: 'ING-{year}-INTRO', title: 'Ingreso: Introducción a la vida universitaria' },
  { code: 'ING-{year}-MATE', title: 'Ingreso: Matemática' },
  { code: 'ING-{year}-ECO', title: 'Ingreso: Economía' },
];
const DOCENTES = [
  ['Graciela', 'Peñaloza'],
  ['Héctor', 'Ibáñez'],
  ['María Inés', "D'Amico"],
  ['Raúl', 'Echeverría'],
];

/**
 * The instant every generated object was last modified: the SIS's last bulk load, 15 December before the
 * year starts — or yesterday, when that date is still to come, so that no stamp lies in the future and a
 * delta read from now on sees only real changes.
 */
export function bulkInstant(year: number, now: number): string {
  const planned = Date.parse(`${year - 1}-12-15T10:00:00.000Z`);
  const yesterday = Math.floor(now / 86_400_000) * 86_400_000 - 86_400_000 + 10 * 3_600_000;
  return new Date(Math.min(planned, yesterday)).toISOString();
}

export const carreraId = (carrera: string) => `org-${slug(carrera)}`;
export const userId = (dni: string, twice = false) => `usr-${dniNormalizado(dni)}${twice ? '-b' : ''}`;

export function generateRoster(cfg: RosterConfig, now: number = Date.now()): Roster {
  const at = bulkInstant(cfg.year, now);
  const base = { status: 'active' as const, dateLastModified: at };
  const cohort = generateCohort({ ...cfg, revision: 0 });
  const carreras = [...new Set(Object.values(cohort).flatMap((l) => l.map((r) => r.carrera)))].sort();

  const orgs: Org[] = [
    {
      ...base,
      sourcedId: FACULTAD,
      name: 'Facultad de Ciencias Económicas',
      type: 'school',
      identifier: 'FCE',
      parent: null,
      children: carreras.map((c) => ref('org', carreraId(c))),
    },
    ...carreras.map((c): Org => ({
      ...base,
      sourcedId: carreraId(c),
      name: c,
      type: 'department',
      identifier: CARRERA_CURSO[c]?.code.split('-')[0] ?? slug(c).toUpperCase(),
      parent: ref('org', FACULTAD),
      children: [],
    })),
  ];

  const y = String(cfg.year);
  const anio = `as-${y}`;
  const sem = (n: 1 | 2) => `as-${y}-${n}c`;
  const academicSessions: AcademicSession[] = [
    {
      ...base,
      sourcedId: anio,
      // Titled as the university names its periods (Lucy's periodo is the title: 20 characters at most).
      title: y,
      startDate: `${y}-02-01`,
      endDate: `${y}-12-20`,
      type: 'schoolYear',
      parent: null,
      children: [ref('academicSession', sem(1)), ref('academicSession', sem(2))],
      schoolYear: y,
    },
    ...([1, 2] as const).map((n): AcademicSession => ({
      ...base,
      sourcedId: sem(n),
      title: `${y}-${n}C`,
      startDate: n === 1 ? `${y}-02-01` : `${y}-08-01`,
      endDate: n === 1 ? `${y}-07-15` : `${y}-12-20`,
      type: 'semester',
      parent: ref('academicSession', anio),
      children: [],
      schoolYear: y,
    })),
  ];

  const cursos = [
    ...INGRESO.map((c) => ({ code: c.code.replace('{year}', y), title: c.title, org: FACULTAD })),
    ...carreras.map((c) => ({ ...(CARRERA_CURSO[c] ?? { code: slug(c), title: c }), org: carreraId(c) })),
  ];
  const courses: Course[] = cursos.map((c) => ({
    ...base,
    sourcedId: `crs-${c.code.toLowerCase()}`,
    title: c.title,
    schoolYear: ref('academicSession', anio),
    courseCode: c.code,
    grades: [],
    subjects: [],
    org: ref('org', c.org),
  }));

  // Two commissions of the intake mathematics (a big course is split), one class of every other course.
  const classes: Class[] = courses.flatMap((c) =>
    (c.courseCode.endsWith('-MATE') ? ['A', 'B'] : ['A']).map((comision): Class => ({
      ...base,
      sourcedId: `cls-${c.courseCode.toLowerCase()}-${comision.toLowerCase()}`,
      title: `${c.title} (comisión ${comision})`,
      classCode: `${c.courseCode}-${comision}`,
      classType: 'scheduled',
      location: 'Río Cuarto',
      grades: [],
      subjects: [],
      course: ref('course', c.sourcedId),
      school: ref('org', FACULTAD),
      terms: [ref('academicSession', sem(1))],
    })),
  );

  // Students: ingresantes first; a DNI already seen with another email is the SIS's duplicate record.
  const seen = new Map<string, string | null>();
  const users: User[] = [];
  const enrollments: Enrollment[] = [];
  const enroll = (u: User, cls: Class, role: 'student' | 'teacher') =>
    enrollments.push({
      ...base,
      sourcedId: `enr-${cls.sourcedId.slice(4)}-${u.sourcedId.slice(4)}`,
      user: ref('user', u.sourcedId),
      class: ref('class', cls.sourcedId),
      school: ref('org', FACULTAD),
      role,
      primary: role === 'teacher',
      beginDate: `${y}-02-01`,
      endDate: `${y}-07-15`,
    });
  const ingreso = classes.filter((c) => c.classCode.startsWith('ING-'));
  let n = 0;
  for (const r of [...cohort.ingresantes, ...cohort.preinscriptos, ...cohort.aspirantes]) {
    const dni = dniNormalizado(r.dni);
    const twice = seen.has(dni);
    if (twice && (seen.get(dni) === r.email_personal || users.some((u) => u.sourcedId === userId(dni, true)))) continue;
    seen.set(dni, r.email_personal);
    const u = student(r, twice, base);
    users.push(u);
    // One intake mathematics commission each, alternating; every intake course otherwise.
    const mate = n++ % 2 === 0 ? 'A' : 'B';
    for (const c of ingreso)
      if (!c.classCode.includes('-MATE-') || c.classCode.endsWith(`-${mate}`)) enroll(u, c, 'student');
    if (r.estado === 'ingresante') {
      const propia = classes.find((c) => c.course.sourcedId === `crs-${CARRERA_CURSO[r.carrera]?.code.toLowerCase()}`);
      if (propia) enroll(u, propia, 'student');
    }
  }
  DOCENTES.forEach(([given, family], i) => {
    const u: User = {
      ...base,
      sourcedId: `usr-doc-${i + 1}`,
      username: `${slug(given!.split(' ')[0]!)}.${slug(family!)}`.replace(/-/g, ''),
      userIds: [{ type: 'legajo_docente', identifier: String(5000 + i) }],
      enabledUser: true,
      givenName: given!,
      familyName: family!,
      middleName: '',
      role: 'teacher',
      identifier: String(5000 + i),
      email: `${slug(given!.split(' ')[0]!)}.${slug(family!)}@fce.unrc.edu.ar`.replace(/-/g, ''),
      sms: '',
      phone: '',
      agents: [],
      orgs: [ref('org', FACULTAD)],
      grades: [],
    };
    users.push(u);
    classes.forEach((c, k) => k % DOCENTES.length === i && enroll(u, c, 'teacher'));
  });
  return { orgs, academicSessions, courses, classes, users, enrollments };
}

/** A SIAL record as the SIS's user: its DNI (as typed) is the identifier, the legajo another userId. */
function student(r: SialRecord, twice: boolean, base: Pick<User, 'status' | 'dateLastModified'>): User {
  const dni = dniNormalizado(r.dni);
  const email = r.email_personal;
  return {
    ...base,
    sourcedId: userId(dni, twice),
    username: r.email_institucional ?? r.legajo ?? dni,
    userIds: [{ type: 'DNI', identifier: r.dni }, ...(r.legajo ? [{ type: 'legajo', identifier: r.legajo }] : [])],
    enabledUser: true,
    givenName: r.nombre,
    familyName: r.apellido,
    middleName: '',
    role: 'student',
    identifier: r.dni,
    ...(email === null ? {} : { email }),
    sms: '',
    phone: '',
    agents: [],
    orgs: [ref('org', carreraId(r.carrera)), ref('org', FACULTAD)],
    grades: [],
  };
}
