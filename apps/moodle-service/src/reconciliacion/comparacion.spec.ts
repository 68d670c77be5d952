import { compararMoodle, type ComparacionMoodle, type InscripcionRegistrada } from './comparacion.js';

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
const base = (over: Partial<ComparacionMoodle> = {}): ComparacionMoodle => ({
  alumnos: [A],
  usuarios: [{ alumnoId: A, username: 'a40123456@est.edu', moodleUserId: 100 }],
  inscripciones: [ins()],
  existentes: new Set([100]),
  enrolados: new Map([[10, [{ userId: 100, username: 'a40123456@est.edu', roles: [5] }]]]),
  rolAlumno: 5,
  ...over,
});

describe('compararMoodle', () => {
  it('finds nothing when Moodle holds the users and enrolments Lucy recorded', () => {
    expect(compararMoodle(base())).toEqual([]);
  });

  it('moodle_usuario_faltante: the recorded user is gone (its enrolments are not listed apart)', () => {
    const diffs = compararMoodle(base({ existentes: new Set(), enrolados: new Map([[10, []]]) }));
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
    expect(compararMoodle(base({ alumnos: [], existentes: new Set(), enrolados: new Map([[10, []]]) }))).toEqual([]);
  });
});
