import { parse } from 'csv-parse/sync';
import type { FilaOneRoster, RegistrarLoteOneRoster } from '@lucy/contracts';
import { cursosDe, type ClaseFuente } from '../../domain/clases.js';
import type { FilaCruda } from '../../domain/fila.js';
import type { MapaClases } from '../cursos.js';
import { lecturaDeOneRoster, LISTA_ONEROSTER } from './oneroster-lectura.js';

/** The Moodle courses a row's whole list of classes gives through the map (as the registry derives them). */
const cursos = (f: FilaCruda, mapa: MapaClases) => cursosDe(f.clasesFuente as readonly ClaseFuente[], mapa);

/** A file's rows as the gateway sends them: values by column, with their line (the header is line 1). */
const tabla = (csv: string): FilaOneRoster[] =>
  (
    parse(csv.trim(), { columns: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[]
  ).map(({ record, info }) => ({ linea: info.lines, valores: record }));

const ORGS = `sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
fac,,,Facultad de Derecho,school,,
abo,,,Abogacía,department,,fac`;
const SESIONES = `sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear
y27,,,2027,schoolYear,2027-03-01,2027-12-15,,2027
c1,,,2027-1C,semester,2027-03-01,2027-07-15,y27,2027`;
const CURSOS = `sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes
civ,,,y27,Derecho Civil I,CIV1,,abo,,`;
const CLASES = `sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
civ-a,,,Civil I - A,,civ,CIV1-A,scheduled,,fac,c1,,,`;
const USUARIOS = `sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades
u1,,,true,"fac,abo",student,ana,,Ana,Paz,María,40123456,ana@correo.test,,,,
u2,,,true,abo,student,luis,,Luis,Sosa,,30111222,,,,,
t1,,,true,fac,teacher,prof,,Marta,Gil,,20111222,,,,,
u3,,,true,abo,alumno,eva,,Eva,Ruiz,,35111222,,,,,`;
const INSCRIPCIONES = `sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate
e1,,,civ-a,fac,u1,student,,2027-03-01,
e2,,,civ-a,fac,t1,teacher,true,,`;

type Archivos = RegistrarLoteOneRoster['archivos'];
const bulk = (extra: Partial<Record<keyof Archivos, string>> = {}): Archivos => {
  const textos = {
    orgs: ORGS,
    academicSessions: SESIONES,
    courses: CURSOS,
    classes: CLASES,
    users: USUARIOS,
    enrollments: INSCRIPCIONES,
    ...extra,
  };
  return Object.fromEntries(Object.entries(textos).map(([k, v]) => [k, { modo: 'bulk', filas: tabla(v) }]));
};

describe('lecturaDeOneRoster', () => {
  it("maps each valid student: identifier → dni, names, email, their department org's name → carrera, their class's term → periodo", () => {
    const { filas, errores, listas } = lecturaDeOneRoster({ archivos: bulk() });
    expect(filas).toEqual([
      {
        fila: 2,
        fuente: 'users.csv',
        dni: '40123456',
        nombre: 'Ana María',
        apellido: 'Paz',
        emailPersonal: 'ana@correo.test',
        carrera: 'Abogacía',
        estado: 'ingresante',
        periodo: '2027-1C',
      },
      // No class: the latest schoolYear's title; no email: null.
      expect.objectContaining({ fila: 3, dni: '30111222', emailPersonal: null, carrera: 'Abogacía', periodo: '2027' }),
    ]);
    // The teacher is no student; the bad role is reported with its file, line and field.
    expect(errores).toEqual([
      {
        fila: 5,
        fuente: 'users.csv',
        dni: '35111222',
        motivos: [expect.stringMatching(/^role: "alumno" no es uno de/)],
      },
    ]);
    // A users.csv in bulk is a complete list: every student in it is present.
    expect(listas).toEqual([
      { lista: LISTA_ONEROSTER, estado: 'ingresante', dnis: new Set(['40123456', '30111222']), completa: true },
    ]);
  });

  it('reports every broken value with its file, line and field: required, enumerations, dates, GUIDs that do not resolve', () => {
    const { filas, errores } = lecturaDeOneRoster({
      archivos: bulk({
        classes: CLASES.replace('scheduled', 'lecture').replace('civ,CIV1-A', 'nada,CIV1-A'),
        academicSessions: SESIONES.replace('2027-07-15', '2027-02-30'),
        enrollments: `${INSCRIPCIONES}\ne3,,,civ-a,fac,u9,student,,,`,
        users: `${USUARIOS}\nu4,,,true,abo,student,,,Sol,,,36111222,,,,,`,
      }),
    });
    const de = (fuente: string, fila: number) => errores.find((e) => e.fuente === fuente && e.fila === fila)?.motivos;
    expect(de('classes.csv', 2)).toEqual([
      expect.stringMatching(/^classType: "lecture" no es uno de homeroom, scheduled/),
      'courseSourcedId: "nada" no está en courses.csv',
    ]);
    expect(de('academicSessions.csv', 3)).toEqual([expect.stringMatching(/^endDate: "2027-02-30" no es una fecha/)]);
    expect(de('enrollments.csv', 4)).toEqual(['userSourcedId: "u9" no está en users.csv']);
    expect(de('users.csv', 6)).toEqual([
      'username: falta el valor (la especificación lo requiere)',
      'familyName: falta el valor (la especificación lo requiere)',
    ]);
    expect(filas.map((f) => f.dni)).toEqual(['40123456', '30111222']);
  });

  it('delta: status and dateLastModified are required; tobedeleted is a leaver (baja), and no absence counts', () => {
    const t = '2027-08-01T10:00:00.000Z';
    const delta = (csv: string) => ({ modo: 'delta' as const, filas: tabla(csv) });
    const { filas, errores, listas } = lecturaDeOneRoster({
      archivos: {
        ...bulk(),
        users:
          delta(`sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades
u1,active,${t},true,abo,student,ana,,Ana,Paz Gómez,,40123456,ana@correo.test,,,,
u2,tobedeleted,${t},true,abo,student,luis,,Luis,Sosa,,30111222,,,,,
u5,,,true,abo,student,sol,,Sol,Luna,,37111222,,,,,
u6,active,ayer,true,abo,student,leo,,Leo,Mar,,38111222,,,,,`),
        enrollments: delta(
          'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate',
        ),
      },
    });
    expect(filas.map((f) => [f.dni, f.apellido, f.estado])).toEqual([
      ['40123456', 'Paz Gómez', 'ingresante'],
      ['30111222', 'Sosa', 'baja'],
    ]);
    expect(errores).toEqual([
      expect.objectContaining({
        fila: 4,
        motivos: [
          'status: falta el valor (en modo delta es obligatorio)',
          'dateLastModified: falta el valor (en modo delta es obligatorio)',
        ],
      }),
      expect.objectContaining({
        fila: 5,
        motivos: [expect.stringMatching(/^dateLastModified: "ayer" no es una fecha y hora/)],
      }),
    ]);
    expect(listas).toBeUndefined();
  });

  it('bulk: tobedeleted is refused (in bulk, whoever is not in the file is what leaves); a user no longer enabled leaves', () => {
    const { filas, errores } = lecturaDeOneRoster({
      archivos: bulk({
        users: USUARIOS.replace('u2,,,true', 'u2,tobedeleted,2027-08-01T10:00:00Z,true').replace(
          'u1,,,true',
          'u1,,,false',
        ),
      }),
    });
    expect(filas.map((f) => [f.dni, f.estado])).toEqual([['40123456', 'baja']]);
    expect(errores.find((e) => e.fila === 3)?.motivos).toEqual([
      expect.stringMatching(/^status: tobedeleted solo vale/),
    ]);
  });

  it('a sourcedId twice in its file: the second row is reported', () => {
    const { filas, errores } = lecturaDeOneRoster({
      archivos: bulk({ users: `${USUARIOS}\nu1,,,true,abo,student,ana2,,Ana,Paz,,40123457,,,,,` }),
    });
    expect(errores.find((e) => e.fila === 6)?.motivos).toEqual(['sourcedId: "u1" se repite en users.csv']);
    expect(filas.map((f) => f.dni)).toEqual(['40123456', '30111222']);
  });

  it('a reference into a file sent as delta is not checked (it may name a record sent before), but a student still needs their org', () => {
    const { errores } = lecturaDeOneRoster({
      archivos: {
        ...bulk(),
        orgs: { modo: 'delta', filas: [] },
        users: { modo: 'bulk', filas: tabla(USUARIOS).slice(0, 1) },
      },
    });
    expect(errores.filter((e) => e.fuente === 'users.csv')).toEqual([
      expect.objectContaining({
        fuente: 'users.csv',
        fila: 2,
        motivos: [expect.stringMatching(/^orgSourcedIds: ninguna de sus orgs está en orgs.csv/)],
      }),
    ]);
  });
});

describe('lecturaDeOneRoster: the courses of the classes (cursosOneRoster)', () => {
  const CLASES_2 = `${CLASES}
civ-b,,,Civil I - B,,civ,CIV1-B,scheduled,,fac,c1,,,
rom-a,,,Romano - A,,civ,ROM-A,scheduled,,fac,c1,,,`;
  const INSCRIPCIONES_2 = `${INSCRIPCIONES}
e3,,,civ-b,fac,u1,student,,2027-03-01,
e4,,,rom-a,fac,u1,student,,2027-03-01,
e5,,,rom-a,fac,u2,student,,2027-03-01,`;
  const delta = (csv: string) => ({ modo: 'delta' as const, filas: tabla(csv) });

  it("bulk: each student's whole list, a class by its sourcedId or its course's code; an unmapped class is noted once", () => {
    const mapa = { 'civ-a': 'CIVIL-A', CIV1: 'CIVIL' };
    const { filas, errores, avisos } = lecturaDeOneRoster({
      archivos: bulk({ classes: CLASES_2, enrollments: INSCRIPCIONES_2 }),
      cursosOneRoster: mapa,
    });
    expect(errores).toHaveLength(1); // the bad role, as above
    expect(filas.find((f) => f.dni === '30111222')!.clasesFuente).toEqual([{ clase: 'rom-a', codigoCurso: 'CIV1' }]);
    expect(filas.map((f) => [f.dni, cursos(f, mapa)])).toEqual([
      // civ-a by its own sourcedId, civ-b by its course's code (CIV1); rom-a's course code is CIV1 too.
      ['40123456', ['CIVIL', 'CIVIL-A']],
      ['30111222', ['CIVIL']],
    ]);
    const soloCivA = { 'civ-a': 'CIVIL-A' };
    const { filas: sinNada } = lecturaDeOneRoster({
      archivos: bulk({ classes: CLASES_2, enrollments: INSCRIPCIONES_2 }),
      cursosOneRoster: soloCivA,
    });
    // A student with no mapped class: an empty list (a bulk file is every enrollment: they have none).
    expect(sinNada.map((f) => cursos(f, soloCivA))).toEqual([['CIVIL-A'], []]);
    expect(avisos).toBeUndefined();
  });

  it('notes each class with no course once, with the students it leaves out; not an invalid row', () => {
    const { filas, errores, avisos } = lecturaDeOneRoster({
      archivos: bulk({ classes: CLASES_2, enrollments: INSCRIPCIONES_2 }),
      cursosOneRoster: { 'civ-a': 'CIVIL-A' },
    });
    expect(filas).toHaveLength(2);
    expect(errores).toHaveLength(1);
    expect(avisos).toEqual([
      {
        fila: 3,
        fuente: 'classes.csv',
        dni: null,
        motivos: [expect.stringMatching(/^clase "civ-b": ni su sourcedId ni su courseCode "CIV1"/)],
      },
      {
        fila: 4,
        fuente: 'classes.csv',
        dni: null,
        motivos: [expect.stringMatching(/^clase "rom-a".*sus 2 alumnos no se inscriben/)],
      },
    ]);
  });

  it('no map, or no enrollments file: no courses stated (the registry keeps what it holds), nothing noted', () => {
    const sinMapa = lecturaDeOneRoster({ archivos: bulk() });
    expect(sinMapa.filas.every((f) => f.clasesFuente === undefined)).toBe(true);
    expect(sinMapa.avisos).toBeUndefined();
    const { enrollments: _, ...sinInscripciones } = bulk();
    const { filas } = lecturaDeOneRoster({
      archivos: { ...sinInscripciones, users: bulk().users },
      cursosOneRoster: { CIV1: 'CIVIL' },
    });
    expect(filas.every((f) => f.clasesFuente === undefined)).toBe(true);
  });

  it("delta: an active enrollment adds its class, a tobedeleted one removes it; an enrollment without its student's row is noted", () => {
    const { filas, avisos } = lecturaDeOneRoster({
      archivos: {
        // A student's row needs their org and a session to read carrera and periodo from (as above).
        orgs: bulk().orgs,
        academicSessions: bulk().academicSessions,
        users:
          delta(`sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades
u1,active,2027-04-01T00:00:00Z,true,abo,student,ana,,Ana,Paz,,40123456,,,,,`),
        enrollments:
          delta(`sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate
e1,tobedeleted,2027-04-01T00:00:00Z,civ-a,fac,u1,student,,,
e6,active,2027-04-01T00:00:00Z,pen-a,fac,u1,student,,,
e7,active,2027-04-01T00:00:00Z,pen-a,fac,u9,student,,,`),
      },
      cursosOneRoster: { 'civ-a': 'CIVIL-A', 'pen-a': 'PENAL' },
    });
    expect(filas).toEqual([
      expect.objectContaining({
        dni: '40123456',
        clasesFuente: {
          agregar: [{ clase: 'pen-a', codigoCurso: null }],
          quitar: [{ clase: 'civ-a', codigoCurso: null }],
        },
      }),
    ]);
    expect(avisos).toEqual([
      {
        fila: 4,
        fuente: 'enrollments.csv',
        dni: null,
        motivos: [expect.stringMatching(/^userSourcedId: "u9" no está en users.csv de este envío/)],
      },
    ]);
  });
});
