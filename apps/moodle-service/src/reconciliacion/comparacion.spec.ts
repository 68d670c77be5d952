import type { AlumnoEsperado } from '@lucy/contracts';
import {
  compararMoodle,
  type ComparacionMoodle,
  type InscripcionRegistrada,
  type UsuarioEnMoodle,
} from './comparacion.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const ins = (over: Partial<InscripcionRegistrada> = {}): InscripcionRegistrada => ({
  alumnoId: A,
  shortname: 'ING-INTRO',
  courseId: 10,
  moodleUserId: 100,
  estado: 'enrolada',
  ...over,
});
const esperado = (over: Partial<AlumnoEsperado> = {}): AlumnoEsperado => ({
  alumnoId: A,
  upn: 'A40123456@est.edu',
  alumno: {
    dni: '40123456',
    nombre: 'Ana',
    apellido: 'Díaz',
    emailPersonal: null,
    emailInstitucional: null,
    carrera: 'Contador Público',
    estado: 'ingresante',
    periodo: '2027',
  },
  cuenta: 'habilitada',
  ...over,
});
/** User 100 as Moodle answers for it: the profile Lucy gave it, active. */
const enMoodle = (over: Partial<UsuarioEnMoodle> = {}) =>
  new Map([
    [
      100,
      {
        id: 100,
        username: 'a40123456@est.edu',
        firstname: 'Ana',
        lastname: 'Díaz',
        email: 'a40123456@est.edu',
        idnumber: '40123456',
        suspended: false,
        ...over,
      },
    ],
  ]);
const base = (over: Partial<ComparacionMoodle> = {}): ComparacionMoodle => ({
  alumnos: [esperado()],
  usuarios: [{ alumnoId: A, username: 'a40123456@est.edu', moodleUserId: 100, origen: 'creado' }],
  inscripciones: [ins()],
  existentes: enMoodle(),
  enrolados: new Map([[10, [{ userId: 100, username: 'a40123456@est.edu', roles: [5] }]]]),
  rolAlumno: 5,
  ...over,
});

describe('compararMoodle', () => {
  it('finds nothing when Moodle holds the users and enrolments Lucy recorded', () => {
    expect(compararMoodle(base())).toEqual([]);
  });

  it('moodle_usuario_faltante: the recorded user is gone (its enrolments are not listed apart)', () => {
    const diffs = compararMoodle(base({ existentes: new Map(), enrolados: new Map([[10, []]]) }));
    expect(diffs).toEqual([
      {
        alumnoId: A,
        tipo: 'moodle_usuario_faltante',
        referencia: 'a40123456@est.edu',
        esperado: 'a40123456@est.edu (100)',
        encontrado: null,
      },
    ]);
  });

  it('inscripcion_faltante: a course Lucy enrolled the student in no longer lists them', () => {
    const diffs = compararMoodle(base({ enrolados: new Map([[10, []]]) }));
    expect(diffs).toEqual([
      {
        alumnoId: A,
        tipo: 'inscripcion_faltante',
        referencia: 'a40123456@est.edu@ING-INTRO',
        esperado: 'ING-INTRO',
        encontrado: null,
        curso: 'ING-INTRO',
      },
    ]);
  });

  it('an enrolment Lucy found there (preexistente) or removed (desenrolada) is not missing', () => {
    const enrolados = new Map([[10, []]]);
    expect(compararMoodle(base({ inscripciones: [ins({ estado: 'preexistente' })], enrolados }))).toEqual([]);
    expect(compararMoodle(base({ inscripciones: [ins({ estado: 'desenrolada' })], enrolados }))).toEqual([]);
  });

  it('huerfano: a student of Lucy’s course whose enrolment Lucy did not make; teachers and pre-existing ones are not', () => {
    const enrolados = new Map([
      [
        10,
        [
          { userId: 100, username: 'a40123456@est.edu', roles: [5] },
          { userId: 200, username: 'intruso', roles: [5] },
          { userId: 300, username: 'profe', roles: [3] },
          { userId: 400, username: 'antes', roles: [5] },
        ],
      ],
    ]);
    const inscripciones = [ins(), ins({ alumnoId: B, moodleUserId: 400, estado: 'preexistente' })];
    expect(compararMoodle(base({ enrolados, inscripciones }))).toEqual([
      {
        alumnoId: null,
        tipo: 'huerfano',
        referencia: 'intruso@ING-INTRO',
        esperado: null,
        encontrado: 'intruso (200) en ING-INTRO',
        curso: 'ING-INTRO',
      },
    ]);
  });

  it('a student the gateway did not send (deleted on purpose, or still in a workflow) is not checked', () => {
    expect(compararMoodle(base({ alumnos: [], existentes: new Map(), enrolados: new Map([[10, []]]) }))).toEqual([]);
  });

  it('moodle_usuario_faltante: a settled student with no Moodle user recorded (their username is what Lucy would make)', () => {
    expect(compararMoodle(base({ usuarios: [], inscripciones: [], enrolados: new Map() }))).toEqual([
      {
        alumnoId: A,
        tipo: 'moodle_usuario_faltante',
        referencia: 'a40123456@est.edu',
        esperado: 'a40123456@est.edu (Lucy no tiene registrado su usuario de Moodle)',
        encontrado: null,
      },
    ]);
  });

  it('cuenta_deshabilitada / cuenta_habilitada: the user suspended while the student must sign in, or active while on leave', () => {
    expect(compararMoodle(base({ existentes: enMoodle({ suspended: true }) }))).toEqual([
      {
        alumnoId: A,
        tipo: 'cuenta_deshabilitada',
        referencia: 'a40123456@est.edu',
        esperado: 'activo',
        encontrado: 'suspendido',
      },
    ]);
    const deLicencia = [esperado({ cuenta: 'deshabilitada' })];
    expect(compararMoodle(base({ alumnos: deLicencia }))).toEqual([
      {
        alumnoId: A,
        tipo: 'cuenta_habilitada',
        referencia: 'a40123456@est.edu',
        esperado: 'suspendido',
        encontrado: 'activo',
      },
    ]);
    expect(compararMoodle(base({ alumnos: deLicencia, existentes: enMoodle({ suspended: true }) }))).toEqual([]);
    // A state Moodle does not report is not a difference.
    expect(compararMoodle(base({ existentes: enMoodle({ suspended: undefined }) }))).toEqual([]);
  });

  it('datos_distintos: the profile Lucy gave the user it created, with what Lucy expected and what Moodle has', () => {
    const diffs = compararMoodle(base({ existentes: enMoodle({ lastname: 'Diaz Otra', email: 'otra@example.com' }) }));
    expect(diffs).toEqual([
      {
        alumnoId: A,
        tipo: 'datos_distintos',
        referencia: 'a40123456@est.edu',
        campos: ['lastname', 'email'],
        esperado: 'lastname=Díaz; email=a40123456@est.edu',
        encontrado: 'lastname=Diaz Otra; email=otra@example.com',
      },
    ]);
  });

  it('the profile of a user Lucy found (not created), or a field Moodle leaves out, is not compared', () => {
    const cambiado = enMoodle({ firstname: 'Otra', idnumber: undefined });
    expect(compararMoodle(base({ existentes: cambiado }))).toEqual([
      expect.objectContaining({ tipo: 'datos_distintos', campos: ['firstname'] }),
    ]);
    const encontrado = [
      { alumnoId: A, username: 'a40123456@est.edu', moodleUserId: 100, origen: 'existente' as const },
    ];
    expect(compararMoodle(base({ usuarios: encontrado, existentes: cambiado }))).toEqual([]);
    // Its suspension is still Lucy's: a leave suspends whatever user the student has.
    expect(compararMoodle(base({ usuarios: encontrado, existentes: enMoodle({ suspended: true }) }))).toEqual([
      expect.objectContaining({ tipo: 'cuenta_deshabilitada' }),
    ]);
  });
});
