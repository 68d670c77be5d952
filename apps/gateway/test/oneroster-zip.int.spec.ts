// Reading an uploaded OneRoster 1.1 CSV zip (no service needed): what makes the zip unusable as a whole is
// refused with its reason, bounded against zip bombs; rows come out with their line numbers, without the
// users' password column. The OneRoster stand-in's own zip is read whole.
import { startTestSandbox, zipDe } from '@lucy/testing';
import { ArchivoInvalido } from '../src/lotes/lote-archivo.js';
import { leerOneRoster } from '../src/lotes/oneroster-archivo.js';

const LIMITES = { maxFilas: 10, maxEntradas: 8, maxDescomprimido: 1024 * 1024 };

const manifiesto = (users = 'bulk', version = '1.1') =>
  [
    'propertyName,value',
    'manifest.version,1.0',
    `oneroster.version,${version}`,
    'file.academicSessions,absent',
    'file.categories,absent',
    'file.classes,absent',
    'file.courses,absent',
    'file.demographics,absent',
    'file.enrollments,absent',
    'file.orgs,bulk',
    `file.users,${users}`,
  ].join('\n');
const ORGS = 'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nabo,,,Abogacía,department,,';
const USERS = `sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password

u1,,,true,abo,student,ana,,Ana,Paz,,40123456,,,,,,clave-secreta
t1,,,true,abo,teacher,prof,,Marta,Gil,,20111222,,,,,,otra`;

const leer = async (archivos: Parameters<typeof zipDe>[0], limites = LIMITES) =>
  leerOneRoster(await zipDe(archivos), limites);
const motivo = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ArchivoInvalido);
  return (err as Error).message;
};

describe('leerOneRoster', () => {
  it('reads the files the manifest declares, each row with its line, without the password column; others are noted', async () => {
    const leido = await leer({
      'manifest.csv': manifiesto(),
      'orgs.csv': ORGS,
      'users.csv': USERS,
      'courses.csv': 'declarado absent',
      'results.csv': 'no se lee',
      '__MACOSX/._users.csv': 'basura',
    });
    expect(leido.estudiantes).toBe(1);
    expect(leido.archivos.orgs).toEqual({
      modo: 'bulk',
      filas: [{ linea: 2, valores: expect.objectContaining({ sourcedId: 'abo', name: 'Abogacía' }) }],
    });
    expect(leido.archivos.users!.filas.map((f) => f.linea)).toEqual([3, 4]); // the empty line 2 is skipped, and the lines keep their numbers
    expect(JSON.stringify(leido.archivos)).not.toMatch(/clave|password|otra/);
    expect(Object.keys(leido.archivos).sort()).toEqual(['orgs', 'users']);
    expect(leido.ignorados.sort()).toEqual([
      '__MACOSX/._users.csv: Lucy no lo lee',
      'courses.csv: el manifiesto lo declara absent',
      'results.csv: Lucy no lo lee',
    ]);
  });

  it('refuses what makes the zip unusable, saying why', async () => {
    expect(await motivo(leerOneRoster(Buffer.from('PK no tanto'), LIMITES))).toMatch(/no es un zip legible/);
    expect(await motivo(leer({ 'users.csv': USERS }))).toMatch(/no tiene manifest.csv/);
    expect(await motivo(leer({ 'manifest.csv': manifiesto('bulk', '1.2'), 'users.csv': USERS }))).toMatch(
      /oneroster.version debe ser 1.1 \(dice "1.2"\)/,
    );
    expect(await motivo(leer({ 'manifest.csv': manifiesto('entero'), 'users.csv': USERS }))).toMatch(
      /file.users debe ser bulk, delta, absent \(dice "entero"\)/,
    );
    expect(await motivo(leer({ 'manifest.csv': manifiesto(), 'users.csv': USERS }))).toMatch(
      /declara file.orgs = bulk pero el zip no tiene orgs.csv/,
    );
    expect(await motivo(leer({ 'manifest.csv': manifiesto('absent'), 'orgs.csv': ORGS }))).toMatch(
      /file.users = absent/,
    );
    const dosVeces = await zipDe([
      { nombre: 'manifest.csv', contenido: manifiesto() },
      { nombre: 'manifest.csv', contenido: manifiesto('delta') },
    ]);
    expect(await motivo(leerOneRoster(dosVeces, LIMITES))).toMatch(/manifest.csv está dos veces en el zip/);
    expect(
      await motivo(
        leer({ 'manifest.csv': manifiesto(), 'orgs.csv': ORGS, 'users.csv': USERS.replace(',role,', ',rol,') }),
      ),
    ).toMatch(/users.csv: al encabezado le faltan las columnas role/);
    expect(
      await motivo(leer({ 'manifest.csv': manifiesto(), 'orgs.csv': ORGS, 'users.csv': `${USERS}\nu9,"sin cerrar` })),
    ).toMatch(/users.csv no es un CSV legible/);
    expect(
      await motivo(
        leer({ 'manifest.csv': manifiesto(), 'orgs.csv': ORGS, 'users.csv': USERS.replace('student', 'teacher') }),
      ),
    ).toMatch(/ningún usuario con role = student/);
  });

  it('stops a zip bomb: too many entries, too many bytes inflated, or more bytes than its header declares', async () => {
    const muchas = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}.txt`, 'x']));
    expect(await motivo(leer({ 'manifest.csv': manifiesto(), ...muchas }))).toMatch(/10 entradas: se aceptan hasta 8/);

    const ceros = Buffer.alloc(2 * 1024 * 1024); // deflates to about 2 KB
    expect(await motivo(leer({ 'manifest.csv': manifiesto(), 'orgs.csv': ORGS, 'users.csv': ceros }))).toMatch(
      /descomprimidos pasan de 1048576 bytes/,
    );
    const miente = await zipDe([
      { nombre: 'manifest.csv', contenido: manifiesto() },
      { nombre: 'orgs.csv', contenido: ORGS },
      { nombre: 'users.csv', contenido: ceros, declarar: 100 },
    ]);
    expect(await motivo(leerOneRoster(miente, LIMITES))).toMatch(/users.csv|pasan de/);
  });

  it("reads the OneRoster stand-in's CSV package zip: every student of its users.csv", async () => {
    const sandbox = await startTestSandbox({ graph: false, oneroster: { size: 12 } });
    try {
      const res = await fetch(`${sandbox.urls.admin}/_admin/oneroster/csv.zip`);
      const leido = await leerOneRoster(Buffer.from(await res.arrayBuffer()), { ...LIMITES, maxFilas: 100 });
      const estudiantes = sandbox.oneroster.roster.users.filter((u) => u.role === 'student');
      expect(estudiantes.length).toBeGreaterThan(0);
      expect(leido.estudiantes).toBe(estudiantes.length);
      expect(Object.keys(leido.archivos).sort()).toEqual(
        ['academicSessions', 'classes', 'courses', 'enrollments', 'orgs', 'users'].sort(),
      );
      expect(leido.ignorados).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});
