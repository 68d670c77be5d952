// A OneRoster 1.1 CSV zip's files as ingest-service receives them (RegistrarLoteOneRoster, the gateway played
// by a broker tap), in-process against the real RabbitMQ and PostgreSQL: a bulk roster registers its students;
// a delta updates one, suspends the one tobedeleted and reports a bad row by file, line and field; a later
// bulk is a complete list, so a student missing from it counts an absence and (ausenciasParaBaja 1) leaves.
// With cursosOneRoster set, a student's enrollments in classes become their source's Moodle courses
// (cursosFuente), an unmapped class is noted in the lote, and a delta's enrollments change the list: the
// registry keeps the classes, so a delta dropping one of two classes of a course keeps the course, and a
// changed map reaches the student at their next row.
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import {
  AlumnoActualizado,
  AlumnoCreado,
  AlumnoDadoDeBaja,
  ConfiguracionCambiada,
  LoteIngestado,
  RegistrarLoteOneRoster,
  type FilaOneRoster,
} from '@lucy/contracts';
import { RuntimeConfig } from '@lucy/runtime-config';
import { BrokerTap, CONFIGURACION_DE_PRUEBA, throwawayNames, waitFor } from '@lucy/testing';
import { startIngestUnderTest, type IngestBajoPrueba } from './support/ingest-bajo-prueba.js';

const NOMBRES = throwawayNames('ingestor');
const SCHEMA = NOMBRES.schema;

const tabla = (csv: string): FilaOneRoster[] =>
  (
    parse(csv.trim(), { columns: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[]
  ).map(({ record, info }) => ({ linea: info.lines, valores: record }));
const ORGS = `sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
fac,,,Facultad de Ciencias,school,,
bio,,,Licenciatura en Biología,department,,fac`;
const SESIONES = `sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear
y29,,,2029,schoolYear,2029-03-01,2029-12-15,,2029`;
const USERS_H =
  'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades';
const usuario = (id: string, dni: string, apellido: string, status = '', fecha = '') =>
  `${id},${status},${fecha},true,bio,student,${id},,Alumna ${id},${apellido},,${dni},${id}@correo.test,,,,`;

describe('ingest-service: OneRoster 1.1 CSV', () => {
  let ingest: IngestBajoPrueba;
  let app: INestApplication;
  let db: pg.Client;
  let tap: BrokerTap;

  beforeAll(async () => {
    ingest = await startIngestUnderTest({
      names: NOMBRES,
      redisDb: 6,
      tap: [LoteIngestado, AlumnoCreado, AlumnoActualizado, AlumnoDadoDeBaja],
      env: { BATCH_SIZE: '20', AUSENCIAS_PARA_BAJA: '1', UMBRAL_BAJAS_PORCENTAJE: '100' },
    });
    ({ app, db, tap } = ingest);
  });

  afterAll(() => ingest?.close());

  const enviar = async (archivos: RegistrarLoteOneRoster['archivos']) => {
    const loteId = randomUUID();
    await tap.publish(
      RegistrarLoteOneRoster,
      { loteId, nombreArchivo: 'roster.zip', archivos },
      { correlationId: `lote-${loteId}` },
    );
    return { loteId, ingestado: await waitFor(() => tap.of(LoteIngestado, { loteId })[0], `LoteIngestado ${loteId}`) };
  };
  const bulk = (usuarios: string[]) => ({
    orgs: { modo: 'bulk' as const, filas: tabla(ORGS) },
    academicSessions: { modo: 'bulk' as const, filas: tabla(SESIONES) },
    users: { modo: 'bulk' as const, filas: tabla([USERS_H, ...usuarios].join('\n')) },
  });
  const estadoEnRegistro = async (dni: string) =>
    (await db.query(`SELECT estado, apellido, motivo_baja FROM "${SCHEMA}".alumno WHERE dni = $1`, [dni])).rows[0];

  it('a bulk roster registers its students; a delta updates, suspends the one tobedeleted and reports a bad row', async () => {
    const primero = await enviar(
      bulk([
        usuario('u1', '42600001', 'Acosta'),
        usuario('u2', '42600002', 'Benítez'),
        usuario('u3', '42600003', 'Castro'),
      ]),
    );
    expect(primero.ingestado).toMatchObject({ origen: 'upload', total: 3, nuevos: 3, invalidos: [] });
    await waitFor(() => tap.of(AlumnoCreado, { loteId: primero.loteId }).length === 3, 'three AlumnoCreado');
    expect(tap.of(AlumnoCreado, { loteId: primero.loteId })[0]!.alumno).toMatchObject({
      carrera: 'Licenciatura en Biología',
      periodo: '2029',
      estado: 'ingresante',
    });

    const t = '2029-06-01T09:00:00.000Z';
    const delta = await enviar({
      ...bulk([]),
      users: {
        modo: 'delta',
        filas: tabla(
          [
            USERS_H,
            usuario('u1', '42600001', 'Acosta Díaz', 'active', t),
            usuario('u2', '42600002', 'Benítez', 'tobedeleted', t),
            usuario('u4', '42600004', 'Duarte', 'borrado', t),
          ].join('\n'),
        ),
      },
    });
    expect(delta.ingestado).toMatchObject({ total: 3, nuevos: 0, actualizados: 1, bajas: 1 });
    expect(delta.ingestado.invalidos).toEqual([
      {
        fila: 4,
        fuente: 'users.csv',
        dni: '42600004',
        motivos: [expect.stringMatching(/^status: "borrado" no es uno de active, tobedeleted/)],
      },
    ]);
    const [cambio] = await waitFor(() => tap.of(AlumnoActualizado, { loteId: delta.loteId }), 'AlumnoActualizado');
    expect(cambio!.cambios).toEqual(['apellido']);
    const [baja] = await waitFor(() => tap.of(AlumnoDadoDeBaja, { loteId: delta.loteId }), 'AlumnoDadoDeBaja');
    expect(baja).toMatchObject({ alumno: { dni: '42600002', estado: 'baja' }, motivo: 'baja' });
    expect(await estadoEnRegistro('42600002')).toMatchObject({ estado: 'baja', motivo_baja: 'baja' });
    // A delta is no complete list: u3, absent from it, counts no absence.
    expect(await estadoEnRegistro('42600003')).toMatchObject({ estado: 'ingresante', motivo_baja: null });
  });

  it('a later bulk is a complete list: a student missing from it leaves as absent', async () => {
    const r = await enviar(bulk([usuario('u1', '42600001', 'Acosta Díaz')]));
    expect(r.ingestado).toMatchObject({ sinCambios: 1, bajas: 1 });
    const [baja] = await waitFor(() => tap.of(AlumnoDadoDeBaja, { loteId: r.loteId }), 'AlumnoDadoDeBaja');
    expect(baja).toMatchObject({ alumno: { dni: '42600003' }, motivo: 'ausente' });
  });

  describe("the classes' Moodle courses (cursosOneRoster)", () => {
    const COURSES = `sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes
c101,,,y29,Biología General,BIO101,,bio,,
c102,,,y29,Química,BIO102,,bio,,
c103,,,y29,Física,BIO103,,bio,,
c104,,,y29,Ecología,BIO104,,bio,,`;
    const CLASSES = `sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
bio-101-a,,,Biología A,,c101,,scheduled,,fac,y29,,,
bio-102-a,,,Química A,,c102,,scheduled,,fac,y29,,,
bio-103-a,,,Física A,,c103,,scheduled,,fac,y29,,,
bio-104-a,,,Ecología A,,c104,,scheduled,,fac,y29,,,
bio-102-b,,,Química B,,c102,,scheduled,,fac,y29,,,`;
    const ENR_H =
      'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate';
    const catalogo = {
      courses: { modo: 'bulk' as const, filas: tabla(COURSES) },
      classes: { modo: 'bulk' as const, filas: tabla(CLASSES) },
    };
    const cursosEnRegistro = async (dni: string) =>
      (await db.query(`SELECT cursos_fuente FROM "${SCHEMA}".alumno WHERE dni = $1`, [dni])).rows[0]?.cursos_fuente;
    const clasesEnRegistro = async (dni: string) =>
      (await db.query(`SELECT clases_fuente FROM "${SCHEMA}".alumno WHERE dni = $1`, [dni])).rows[0]?.clases_fuente;
    const fijarMapa = async (version: number, cursosOneRoster: Record<string, string>) => {
      await tap.publish(ConfiguracionCambiada, {
        version,
        valores: { ...CONFIGURACION_DE_PRUEBA, cursosOneRoster },
        cambios: ['cursosOneRoster'],
        fijadas: ['cursosOneRoster'],
        cambiadoPor: 'test',
      });
      await waitFor(() => app.get(RuntimeConfig).version === version, `the map in force (${version})`);
    };

    it("a bulk roster states each student its classes' courses, notes an unmapped class; a delta adds and removes one", async () => {
      // A class by its own sourcedId, the others by their course's code; Física (BIO103) has no course.
      await fijarMapa(1, { 'bio-101-a': 'BIO-101-A', BIO102: 'BIO-102', BIO104: 'BIO-104' });

      const primero = await enviar({
        ...bulk([usuario('u5', '42600005', 'Esquivel'), usuario('u6', '42600006', 'Ferreyra')]),
        ...catalogo,
        enrollments: {
          modo: 'bulk',
          filas: tabla(
            [
              ENR_H,
              'e51,,,bio-101-a,fac,u5,student,,,',
              'e52,,,bio-102-a,fac,u5,student,,,',
              'e61,,,bio-103-a,fac,u6,student,,,',
            ].join('\n'),
          ),
        },
      });
      expect(primero.ingestado).toMatchObject({ nuevos: 2, invalidos: [] });
      expect(primero.ingestado.avisos).toEqual([
        {
          fila: 4,
          fuente: 'classes.csv',
          dni: null,
          motivos: [expect.stringMatching(/^clase "bio-103-a": ni su sourcedId ni su courseCode "BIO103"/)],
        },
      ]);
      const creados = await waitFor(
        () => (tap.of(AlumnoCreado, { loteId: primero.loteId }).length === 2 ? tap.of(AlumnoCreado) : undefined),
        'two AlumnoCreado',
      );
      const creado = (dni: string) => creados.find((c) => c.alumno.dni === dni)!.alumno;
      expect(creado('42600005').cursosFuente).toEqual(['BIO-101-A', 'BIO-102']);
      expect(creado('42600006').cursosFuente).toEqual([]);
      expect(await cursosEnRegistro('42600005')).toEqual(['BIO-101-A', 'BIO-102']);

      // The same roster again, its enrollments in another order: nothing changed.
      const igual = await enviar({
        ...bulk([usuario('u5', '42600005', 'Esquivel'), usuario('u6', '42600006', 'Ferreyra')]),
        ...catalogo,
        enrollments: {
          modo: 'bulk',
          filas: tabla(
            [
              ENR_H,
              'e61,,,bio-103-a,fac,u6,student,,,',
              'e52,,,bio-102-a,fac,u5,student,,,',
              'e51,,,bio-101-a,fac,u5,student,,,',
            ].join('\n'),
          ),
        },
      });
      expect(igual.ingestado).toMatchObject({ sinCambios: 2, actualizados: 0 });

      // A delta: u5 leaves Química and joins Ecología.
      const t = '2029-07-01T09:00:00.000Z';
      const delta = await enviar({
        ...bulk([]),
        ...catalogo,
        users: {
          modo: 'delta',
          filas: tabla([USERS_H, usuario('u5', '42600005', 'Esquivel', 'active', t)].join('\n')),
        },
        enrollments: {
          modo: 'delta',
          filas: tabla(
            [
              ENR_H,
              `e52,tobedeleted,${t},bio-102-a,fac,u5,student,,,`,
              `e54,active,${t},bio-104-a,fac,u5,student,,,`,
            ].join('\n'),
          ),
        },
      });
      expect(delta.ingestado).toMatchObject({ actualizados: 1, invalidos: [] });
      const [cambio] = await waitFor(() => tap.of(AlumnoActualizado, { loteId: delta.loteId }), 'AlumnoActualizado');
      expect(cambio).toMatchObject({
        cambios: ['cursosFuente'],
        alumno: { dni: '42600005', cursosFuente: ['BIO-101-A', 'BIO-104'] },
        anterior: { cursosFuente: ['BIO-101-A', 'BIO-102'] },
      });
      expect(await cursosEnRegistro('42600005')).toEqual(['BIO-101-A', 'BIO-104']);
    });

    it('a delta dropping one of two classes of a course keeps the course; dropping the other drops it', async () => {
      // Química A and Química B are both BIO102 → BIO-102 (the map set above).
      const t = '2029-08-01T09:00:00.000Z';
      const alta = await enviar({
        ...bulk([]),
        ...catalogo,
        users: { modo: 'delta', filas: tabla([USERS_H, usuario('u7', '42600007', 'Gómez', 'active', t)].join('\n')) },
        enrollments: {
          modo: 'delta',
          filas: tabla(
            [ENR_H, `e71,active,${t},bio-102-a,fac,u7,student,,,`, `e72,active,${t},bio-102-b,fac,u7,student,,,`].join(
              '\n',
            ),
          ),
        },
      });
      expect(alta.ingestado).toMatchObject({ nuevos: 1, invalidos: [] });
      expect(await cursosEnRegistro('42600007')).toEqual(['BIO-102']);

      const deltaDe = (enrollment: string) => ({
        ...bulk([]),
        ...catalogo,
        users: {
          modo: 'delta' as const,
          filas: tabla([USERS_H, usuario('u7', '42600007', 'Gómez', 'active', t)].join('\n')),
        },
        enrollments: { modo: 'delta' as const, filas: tabla([ENR_H, enrollment].join('\n')) },
      });
      // Química A dropped: Química B still gives BIO-102, so the student's courses do not change.
      const sinA = await enviar(deltaDe(`e71,tobedeleted,${t},bio-102-a,fac,u7,student,,,`));
      expect(sinA.ingestado).toMatchObject({ sinCambios: 1, actualizados: 0, invalidos: [] });
      expect(await cursosEnRegistro('42600007')).toEqual(['BIO-102']);
      // The registry holds the class left, with its course's code (the map may change: the code is kept).
      expect(await clasesEnRegistro('42600007')).toEqual([{ clase: 'bio-102-b', codigoCurso: 'BIO102' }]);

      // Química B dropped too: now the course goes.
      const sinB = await enviar(deltaDe(`e72,tobedeleted,${t},bio-102-b,fac,u7,student,,,`));
      expect(sinB.ingestado).toMatchObject({ actualizados: 1, invalidos: [] });
      const [cambio] = await waitFor(() => tap.of(AlumnoActualizado, { loteId: sinB.loteId }), 'AlumnoActualizado');
      expect(cambio).toMatchObject({
        cambios: ['cursosFuente'],
        alumno: { dni: '42600007', cursosFuente: [] },
        anterior: { cursosFuente: ['BIO-102'] },
      });
      expect(await clasesEnRegistro('42600007')).toEqual([]);
    });

    it("a changed map reaches a student's kept classes at their next row, without their enrollments again", async () => {
      // u5 holds bio-101-a and bio-104-a (the deltas above); Ecología moves to another Moodle course.
      await fijarMapa(2, { 'bio-101-a': 'BIO-101-A', BIO102: 'BIO-102', BIO104: 'ECO-2029' });
      const t = '2029-09-01T09:00:00.000Z';
      const r = await enviar({
        ...bulk([]),
        ...catalogo,
        users: {
          modo: 'delta',
          filas: tabla([USERS_H, usuario('u5', '42600005', 'Esquivel', 'active', t)].join('\n')),
        },
        enrollments: { modo: 'delta', filas: tabla(ENR_H) },
      });
      expect(r.ingestado).toMatchObject({ actualizados: 1, invalidos: [] });
      const [cambio] = await waitFor(() => tap.of(AlumnoActualizado, { loteId: r.loteId }), 'AlumnoActualizado');
      expect(cambio).toMatchObject({
        cambios: ['cursosFuente'],
        alumno: { dni: '42600005', cursosFuente: ['BIO-101-A', 'ECO-2029'] },
      });
    });
  });
});
