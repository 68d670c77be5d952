import { cursosDe, type ClaseFuente } from '../../domain/clases.js';
import { lecturaDeOneRosterRest, type LeidoOneRoster } from './oneroster-rest.lectura.js';

const stamp = '2027-03-01T00:00:00.000Z';
const base = { status: 'active' as const, dateLastModified: stamp };
const ref = (sourcedId: string) => ({ sourcedId });
const alumna = (id: string, dni: string, extra: Record<string, unknown> = {}) => ({
  ...base,
  sourcedId: id,
  username: id,
  enabledUser: true,
  givenName: 'Ana',
  middleName: 'María',
  familyName: 'Paz',
  role: 'student',
  identifier: dni,
  email: `${id}@correo.test`,
  userIds: [],
  orgs: [ref('fac'), ref('cp')],
  ...extra,
});
const leido = (over: Partial<LeidoOneRoster> = {}): LeidoOneRoster =>
  ({
    completa: true,
    alumnos: [alumna('u1', '40.123.456')],
    clases: [{ ...base, sourcedId: 'c1', title: 'Contabilidad', terms: [ref('s1')] }],
    inscripciones: [{ ...base, sourcedId: 'e1', user: ref('u1'), class: ref('c1'), role: 'student' }],
    orgs: [
      { ...base, sourcedId: 'fac', name: 'Facultad', type: 'school' },
      { ...base, sourcedId: 'cp', name: 'Contador Público', type: 'department' },
    ],
    sesiones: [
      { ...base, sourcedId: 'y', title: '2027', type: 'schoolYear', startDate: '2027-02-01' },
      { ...base, sourcedId: 's1', title: '2027-1C', type: 'semester', startDate: '2027-02-01' },
    ],
    ...over,
  }) as LeidoOneRoster;

describe('lecturaDeOneRosterRest', () => {
  it('maps a student as the CSV mapping does: carrera from the department, periodo from their classes’ term', () => {
    const l = lecturaDeOneRosterRest(leido());
    expect(l.errores).toEqual([]);
    expect(l.filas).toEqual([
      {
        fila: 1,
        fuente: 'students',
        dni: '40.123.456',
        nombre: 'Ana María',
        apellido: 'Paz',
        emailPersonal: 'u1@correo.test',
        carrera: 'Contador Público',
        estado: 'ingresante',
        periodo: '2027-1C',
      },
    ]);
  });

  it('counts a full read as a complete list, and a read of changes as none', () => {
    expect(lecturaDeOneRosterRest(leido()).listas).toEqual([
      { lista: 'oneroster', estado: 'ingresante', dnis: new Set(['40123456']), completa: true },
    ]);
    expect(lecturaDeOneRosterRest(leido({ completa: false })).listas).toBeUndefined();
  });

  it('makes a removed or disabled student a leaver, and reports a bare stub it cannot match', () => {
    const l = lecturaDeOneRosterRest(
      leido({
        completa: false,
        alumnos: [
          alumna('u1', '40123456', { status: 'tobedeleted' }),
          alumna('u2', '40123457', { enabledUser: false }),
          { ...base, status: 'tobedeleted', sourcedId: 'u3' },
        ] as LeidoOneRoster['alumnos'],
      }),
    );
    expect(l.filas.map((f) => [f.dni, f.estado, f.periodo])).toEqual([
      ['40123456', 'baja', '2027-1C'],
      ['40123457', 'baja', '2027'],
    ]);
    expect(l.errores).toEqual([
      { fila: 3, fuente: 'students', dni: null, motivos: [expect.stringMatching(/^orgSourcedIds: /)] },
    ]);
  });

  it('ignores users who are not students', () => {
    const profe = alumna('t1', '30123456', { role: 'teacher' });
    expect(lecturaDeOneRosterRest(leido({ alumnos: [profe] as LeidoOneRoster['alumnos'] })).filas).toEqual([]);
  });

  it('states all the student’s classes, whose Moodle courses cursosOneRoster gives by class or course code', () => {
    const mapa = { 'CP-101': 'CP-101', c2: 'ING-2027-MATE' };
    const l = lecturaDeOneRosterRest({
      ...leido({
        clases: [
          { ...base, sourcedId: 'c1', title: 'Contabilidad', terms: [ref('s1')], course: ref('k1') },
          { ...base, sourcedId: 'c2', title: 'Matemática', terms: [ref('s1')], course: ref('k2') },
        ],
        inscripciones: [
          { ...base, sourcedId: 'e1', user: ref('u1'), class: ref('c1'), role: 'student' },
          { ...base, sourcedId: 'e2', user: ref('u1'), class: ref('c2'), role: 'student' },
        ],
        cursos: [
          { ...base, sourcedId: 'k1', title: 'Contabilidad', courseCode: 'CP-101' },
          { ...base, sourcedId: 'k2', title: 'Matemática', courseCode: 'MAT' },
        ],
      } as Partial<LeidoOneRoster>),
      cursosOneRoster: mapa,
    });
    expect(l.filas[0]!.clasesFuente).toEqual([
      { clase: 'c1', codigoCurso: 'CP-101' },
      { clase: 'c2', codigoCurso: 'MAT' },
    ]);
    expect(cursosDe(l.filas[0]!.clasesFuente as readonly ClaseFuente[], mapa)).toEqual(['CP-101', 'ING-2027-MATE']);
    expect(l.avisos).toBeUndefined();
    expect(lecturaDeOneRosterRest(leido()).filas[0]!.clasesFuente).toBeUndefined();
  });

  it('notes each class the map has no course for in the lote, as a zip does: once, with the students it leaves out', () => {
    const l = lecturaDeOneRosterRest({
      ...leido({
        alumnos: [alumna('u1', '40123456'), alumna('u2', '40123457')],
        clases: [
          { ...base, sourcedId: 'c1', title: 'Contabilidad', terms: [ref('s1')], course: ref('k1') },
          { ...base, sourcedId: 'c2', title: 'Matemática', terms: [ref('s1')], course: ref('k2') },
        ],
        inscripciones: [
          { ...base, sourcedId: 'e1', user: ref('u1'), class: ref('c1'), role: 'student' },
          { ...base, sourcedId: 'e2', user: ref('u1'), class: ref('c2'), role: 'student' },
          { ...base, sourcedId: 'e3', user: ref('u2'), class: ref('c2'), role: 'student' },
          // A class the read did not bring: found by the enrollment that names it.
          { ...base, sourcedId: 'e4', user: ref('u2'), class: ref('c9'), role: 'student' },
        ],
        cursos: [
          { ...base, sourcedId: 'k1', title: 'Contabilidad', courseCode: 'CP-101' },
          { ...base, sourcedId: 'k2', title: 'Matemática', courseCode: 'MAT' },
        ],
      } as unknown as Partial<LeidoOneRoster>),
      cursosOneRoster: { 'CP-101': 'CP-101' },
    });
    expect(l.filas).toHaveLength(2);
    expect(l.avisos).toEqual([
      {
        fila: 2,
        fuente: 'classes',
        dni: null,
        motivos: [
          'clase "c2": ni su sourcedId ni su courseCode "MAT" está en cursosOneRoster; sus 2 alumnos no se inscriben por ella en ningún curso de Moodle',
        ],
      },
      {
        fila: 4,
        fuente: 'enrollments',
        dni: null,
        motivos: [
          expect.stringMatching(/^clase "c9": ni su sourcedId está en cursosOneRoster; su alumno no se inscribe/),
        ],
      },
    ]);
  });
});
