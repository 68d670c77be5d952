// A OneRoster 1.1 CSV zip's files as ingest-service receives them (RegistrarLoteOneRoster, the gateway played
// by a broker tap), in-process against the real RabbitMQ and PostgreSQL: a bulk roster registers its students;
// a delta updates one, suspends the one tobedeleted and reports a bad row by file, line and field; a later
// bulk is a complete list, so a student missing from it counts an absence and (ausenciasParaBaja 1) leaves.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import {
  AlumnoActualizado,
  AlumnoCreado,
  AlumnoDadoDeBaja,
  LoteIngestado,
  RegistrarLoteOneRoster,
  type FilaOneRoster,
} from '@lucy/contracts';
import { bootstrapService, loadConfig } from '@lucy/platform';
import { controlQueueOf } from '@lucy/resilience';
import { BrokerTap, deleteServiceQueues, dropSchema, throwawayNames, waitFor } from '@lucy/testing';
import { ingestConfigSchema } from '../src/config.js';
import { IngestModule } from '../src/ingest.module.js';

const { service: SERVICE, schema: SCHEMA } = throwawayNames('ingestor');
const RETRY_DELAYS = [200, 400];

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
  let app: INestApplication;
  let db: pg.Client;
  let tap: BrokerTap;
  let config: ReturnType<typeof loadConfig<typeof ingestConfigSchema>>;

  beforeAll(async () => {
    config = loadConfig(ingestConfigSchema, {
      ...process.env,
      SERVICE_NAME: SERVICE,
      DB_SCHEMA: SCHEMA,
      SIAL_URL: 'http://127.0.0.1:6179', // never called: this suite sends no pull
      BATCH_SIZE: '20',
      BATCH_SWEEP_MS: '0',
      RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
      AUSENCIAS_PARA_BAJA: '1',
      UMBRAL_BAJAS_PORCENTAJE: '100',
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '3', // the database is shared with other suites
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/6`,
    });
    tap = await BrokerTap.open([LoteIngestado, AlumnoCreado, AlumnoActualizado, AlumnoDadoDeBaja], {
      url: config.RABBITMQ_URL,
    });
    app = await bootstrapService({
      module: IngestModule,
      config,
      port: 0,
      logging: { destination: new Writable({ write: (_c, _e, done) => done() }) },
    });
    db = new pg.Client({ connectionString: config.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    const steps: (() => unknown)[] = [
      () => app?.close(),
      () => tap?.close(),
      () => dropSchema(db, SCHEMA),
      () => db?.end(),
      () => deleteServiceQueues(SERVICE, RETRY_DELAYS, config.RABBITMQ_URL),
      () => deleteServiceQueues(controlQueueOf(SERVICE), RETRY_DELAYS, config.RABBITMQ_URL),
    ];
    for (const step of steps)
      await Promise.resolve()
        .then(step)
        .catch(() => undefined);
  });

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
});
