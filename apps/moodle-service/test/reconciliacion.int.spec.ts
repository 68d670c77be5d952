// The Moodle side of a reconciliation, against the real RabbitMQ and PostgreSQL and the sandbox's Moodle: the
// users Lucy recorded looked up by id, everyone enrolled in Lucy's courses read page by page, and each
// difference reported by kind. Nothing is written to Moodle.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  CuentaTeamsCreada,
  DiferenciasEncontradas,
  MoodleEnrolado,
  ReconciliacionParcialTerminada,
  ReconciliarMoodle,
  type AlumnoDatos,
  type AlumnoEsperado,
  type Diferencia,
} from '@lucy/contracts';
import { bootstrapService, loadConfig, parseSecretKeys, SecretBox } from '@lucy/platform';
import { controlQueueOf } from '@lucy/resilience';
import { Redis } from 'ioredis';
import {
  BrokerTap,
  deleteServiceQueues,
  dropSchema,
  onEvents,
  startTestSandbox,
  throwawayNames,
  waitFor,
  type TestSandbox,
} from '@lucy/testing';
import { type MoodleConfig, moodleConfigSchema } from '../src/config.js';
import { MoodleModule } from '../src/moodle.module.js';

const { schema, service } = throwawayNames('moodlereconc');
const RETRY_DELAYS = [100, 200];
const REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/13`;
const CURSOS = { preinscripto: { '*': ['ING-2027-INTRO', 'ING-2027-MATE'] } };

describe('moodle-service reconciles the registry with Moodle', () => {
  let sandbox: TestSandbox;
  let app: INestApplication;
  let broker: BrokerTap;
  let db: pg.Client;
  let config: MoodleConfig;
  let courseId: (shortname: string) => number;
  const box = new SecretBox(parseSecretKeys(randomBytes(32).toString('base64')));
  const esperados: (AlumnoEsperado & { moodleUserId: number })[] = [];

  beforeAll(async () => {
    sandbox = await startTestSandbox({ graph: false });
    const courses = await sandbox.admin<{ id: number; shortname: string }[]>('/moodle/courses');
    courseId = (s) => courses.find((c) => c.shortname === s)!.id;
    config = loadConfig(moodleConfigSchema, {
      ...process.env,
      SERVICE_NAME: service,
      DB_SCHEMA: schema,
      DB_POOL_SIZE: '3',
      LOG_LEVEL: 'warn',
      MOODLE_URL: sandbox.urls.moodle,
      MOODLE_TIMEOUT_MS: '3000',
      RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
      REDIS_URL,
      MOODLE_RPM: '6000',
      MOODLE_CURSOS: JSON.stringify(CURSOS),
    });
    app = await bootstrapService({
      module: MoodleModule,
      config,
      port: 0,
      logging: { destination: new Writable({ write: (_c, _e, done) => done() }) },
    });
    broker = await BrokerTap.open([onEvents('moodle.#'), onEvents('reconciliacion.#')], { url: config.RABBITMQ_URL });
    db = new pg.Client({ connectionString: config.DATABASE_URL });
    await db.connect();
    for (let i = 0; i < 2; i++) {
      const dni = String(30_000_000 + Math.floor(Math.random() * 9_000_000));
      const alumno: AlumnoDatos = {
        dni,
        nombre: 'Ana',
        apellido: 'Reconciliada',
        emailPersonal: null,
        emailInstitucional: null,
        carrera: 'Contador Público',
        estado: 'preinscripto',
        periodo: '2027',
      };
      const a = { alumnoId: randomUUID(), upn: `a${dni}@estudiantes.unrc.edu.ar`, alumno };
      const env = await broker.publish(CuentaTeamsCreada, {
        ...a,
        graphUserId: randomUUID(),
        existente: false,
        credencial: box.seal('Temporal-1234', a.alumnoId),
        credencialVersion: 1,
      });
      const { payload } = await waitFor(() => broker.repliesTo(MoodleEnrolado, env)[0], 'MoodleEnrolado');
      esperados.push({ ...a, cuenta: 'habilitada', moodleUserId: payload.moodleUserId });
    }
    // Someone enrolled by hand as a student of Lucy's course, and a teacher there (not Lucy's business).
    for (const [username, roleid] of [
      ['intrusa', 5],
      ['profe', 3],
    ] as const) {
      const u = sandbox.moodle.insertUser({
        username,
        firstname: username,
        lastname: 'X',
        email: `${username}@example.com`,
      });
      const now = Math.floor(Date.now() / 1000);
      sandbox.moodle.setEnrolment({
        userid: u.id,
        courseid: courseId('ING-2027-INTRO'),
        roleids: [roleid],
        timestart: now,
        timeend: 0,
        status: 0,
        timecreated: now,
      });
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await deleteServiceQueues(service, RETRY_DELAYS, config?.RABBITMQ_URL);
    await deleteServiceQueues(controlQueueOf(service), RETRY_DELAYS, config?.RABBITMQ_URL);
    await broker?.close();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const keys = await redis.keys('lucy:ratelimit:{moodle}:*');
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    if (db) await dropSchema(db, schema);
    await db?.end();
    await sandbox?.close();
  });

  async function reconciliar() {
    const reconciliacionId = randomUUID();
    const alumnos = esperados.map(({ moodleUserId: _, ...a }) => a);
    await broker.publish(ReconciliarMoodle, { reconciliacionId, alumnos });
    const fin = await waitFor(
      () => broker.of(ReconciliacionParcialTerminada, { reconciliacionId })[0],
      'the Moodle side',
    );
    const diferencias: Diferencia[] = broker
      .of(DiferenciasEncontradas, { reconciliacionId })
      .sort((a, b) => a.parte - b.parte)
      .flatMap((p) => p.diferencias);
    expect(diferencias).toHaveLength(fin.diferencias);
    return diferencias;
  }
  const writes = () => sandbox.moodle.calls.filter((c) => !/_get_/.test(c.wsfunction)).length;
  const lookups = () => sandbox.moodle.calls.filter((c) => c.wsfunction === 'core_user_get_users_by_field').length;

  it('finds only the student enrolled in Lucy’s course by someone else (the teacher is not counted)', async () => {
    const antes = writes();
    const buscados = lookups();
    expect(await reconciliar()).toEqual([
      {
        alumnoId: null,
        tipo: 'huerfano',
        referencia: 'intrusa@ING-2027-INTRO',
        esperado: null,
        encontrado: expect.stringContaining('intrusa'),
        curso: 'ING-2027-INTRO',
      },
    ]);
    expect(writes()).toBe(antes);
    const pedidas = sandbox.moodle.calls.filter((c) => c.wsfunction === 'core_enrol_get_enrolled_users');
    expect(pedidas.length).toBeGreaterThanOrEqual(2); // one page per course of Lucy's
    // Every recorded user was listed in a course: none is looked up on its own.
    expect(lookups()).toBe(buscados);
  });

  it('reports a removed enrolment and a deleted user by kind', async () => {
    const [a, b] = esperados;
    sandbox.moodle.removeEnrolment(courseId('ING-2027-MATE'), a.moodleUserId);
    sandbox.moodle.user(b.moodleUserId)!.deleted = true;
    const buscados = lookups();
    const diferencias = await reconciliar();
    // Only the user no course listed any more is looked up (and Moodle does not return it).
    expect(lookups()).toBe(buscados + 1);
    const por = (tipo: string) => diferencias.filter((d) => d.tipo === tipo);
    expect(por('inscripcion_faltante')).toEqual([
      expect.objectContaining({
        alumnoId: a.alumnoId,
        curso: 'ING-2027-MATE',
        referencia: `${a.upn.toLowerCase()}@ING-2027-MATE`,
      }),
    ]);
    // The deleted user's enrolments went with it: one difference, the user.
    expect(por('moodle_usuario_faltante')).toEqual([
      expect.objectContaining({ alumnoId: b.alumnoId, encontrado: null }),
    ]);
    expect(por('huerfano')).toHaveLength(1);
    expect(diferencias).toHaveLength(3);
  });
});
