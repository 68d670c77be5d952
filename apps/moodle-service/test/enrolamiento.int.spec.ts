// moodle-service in-process against the real RabbitMQ and PostgreSQL and the sandbox's Moodle
// stand-in: a student with a Teams account gets one Moodle user and one enrolment per course, once;
// Moodle down opens the breaker and the queue waits (nothing parked, no failure) until Moodle is back;
// compensation unenrols.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  type AlumnoDatos,
  type Envelope,
  type MessageDefinition,
  BreakerCambiado,
  CuentaTeamsCreada,
  DesenrolarMoodle,
  EnrolarMoodle,
  MoodleDesenrolado,
  MoodleEnrolado,
  MoodleFallido,
} from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { bootstrapService, loadConfig, parseSecretKeys, SecretBox } from '@lucy/platform';
import { controlQueueOf, guardToken, type DependencyGuard } from '@lucy/resilience';
import { RuntimeConfig } from '@lucy/runtime-config';
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
import type { EntityManager } from 'typeorm';
import { type MoodleConfig, moodleConfigSchema } from '../src/config.js';
import { RUNTIME_KEYS } from '../src/runtime-keys.js';
import { UsuarioMoodleService } from '../src/enrolamiento/usuario-moodle.service.js';
import { MoodleClient } from '../src/moodle/moodle.client.js';
import { MoodleModule } from '../src/moodle.module.js';
import { MoodleUsuarioRepository } from '../src/persistence/moodle-usuario.repository.js';

const { schema, service } = throwawayNames('moodle');
const RETRY_DELAYS = [100, 200];
/** The limiter's state for 'moodle' in a Redis database of these tests' own (dropped at the end). */
const REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/4`;

interface SandboxUser {
  id: number;
  username: string;
  auth: string;
  email: string;
  idnumber: string;
  firstname: string;
  passwordSha256: string | null;
  enrolments: { courseid: number; roleids: number[] }[];
}
interface SandboxCourse {
  id: number;
  shortname: string;
}

describe('moodle-service enrolment', () => {
  let sandbox: TestSandbox;
  let app: INestApplication;
  let url: string;
  let broker: BrokerTap;
  let breakerEvents: BrokerTap;
  let db: pg.Client;
  let moodle: MoodleClient;
  let config: MoodleConfig;
  let courseId: (shortname: string) => number;
  const box = new SecretBox(parseSecretKeys(randomBytes(32).toString('base64')));

  beforeAll(async () => {
    sandbox = await startTestSandbox({ graph: false });
    const courses = await sandbox.admin<SandboxCourse[]>('/moodle/courses');
    courseId = (s) => courses.find((c) => c.shortname === s)!.id;
    config = loadConfig(moodleConfigSchema, {
      ...process.env,
      SERVICE_NAME: service,
      DB_SCHEMA: schema,
      LOG_LEVEL: 'warn',
      MOODLE_URL: sandbox.urls.moodle,
      MOODLE_TIMEOUT_MS: '3000',
      RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
      REDIS_URL,
      // A breaker quick to open and to probe again, so the outage test is short.
      MOODLE_BREAKER_VOLUME_THRESHOLD: '3',
      MOODLE_BREAKER_RESET_TIMEOUT_MS: '1000',
      MOODLE_BREAKER_ROLLING_COUNT_TIMEOUT_MS: '2000',
      MOODLE_CURSOS: JSON.stringify({
        ingresante: { '2027': ['ING-2027-INTRO', 'ING-2027-MATE'] },
        aspirante: { '*': ['ING-2027-ECO'] },
      }),
    });
    app = await bootstrapService({
      module: MoodleModule,
      config,
      port: 0,
      logging: { destination: new Writable({ write: (_c, _e, done) => done() }) },
    });
    url = await app.getUrl();
    moodle = app.get(MoodleClient);
    broker = await BrokerTap.open([onEvents('moodle.#')], { url: config.RABBITMQ_URL });
    breakerEvents = await BrokerTap.open([BreakerCambiado], { url: config.RABBITMQ_URL });
    db = new pg.Client({ connectionString: config.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await app?.close();
    await deleteServiceQueues(service, RETRY_DELAYS, config?.RABBITMQ_URL);
    await deleteServiceQueues(controlQueueOf(service), RETRY_DELAYS, config?.RABBITMQ_URL);
    await broker?.close();
    await breakerEvents?.close();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const keys = await redis.keys('lucy:ratelimit:{moodle}:*');
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    if (db) await dropSchema(db, schema);
    await db?.end();
    await sandbox?.close();
  });

  afterEach(() => sandbox.admin('/faults/reset', 'POST'));

  function alumno(estado: AlumnoDatos['estado'] = 'ingresante'): {
    alumnoId: string;
    upn: string;
    alumno: AlumnoDatos;
  } {
    const dni = String(30_000_000 + Math.floor(Math.random() * 9_000_000));
    return {
      alumnoId: randomUUID(),
      upn: `${dni}.Prueba@Alumnos.Facultad.edu.ar`,
      alumno: {
        dni,
        nombre: 'Ana',
        apellido: 'Prueba',
        emailPersonal: null,
        emailInstitucional: null,
        carrera: 'Contador Público',
        estado,
        periodo: '2027',
      },
    };
  }

  const cuentaCreada = (a: ReturnType<typeof alumno>) =>
    broker.publish(CuentaTeamsCreada, {
      ...a,
      graphUserId: randomUUID(),
      existente: false,
      credencial: box.seal('Temporal-1234', a.alumnoId),
      credencialVersion: 1,
    });

  const replyTo = <D extends MessageDefinition>(def: D, env: Envelope, what: string) =>
    waitFor(() => broker.repliesTo(def, env)[0], what);

  async function sandboxUser(upn: string): Promise<SandboxUser | undefined> {
    const [u] = await sandbox.admin<SandboxUser[]>(`/moodle/users?username=${encodeURIComponent(upn.toLowerCase())}`);
    return u && sandbox.admin<SandboxUser>(`/moodle/users/${u.id}`);
  }

  const rows = async (alumnoId: string) =>
    (
      await db.query(
        `SELECT shortname, course_id, estado, role_id, enrolada_at, desenrolada_at FROM "${schema}".inscripcion WHERE alumno_id = $1 ORDER BY shortname`,
        [alumnoId],
      )
    ).rows;

  async function duplicatesSeen(): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('lucy_messages_consumed_total{') &&
          l.includes('type="cuenta-teams.creada@v1"') &&
          l.includes('outcome="duplicate"'),
      );
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  it('gives a student with a Teams account one Moodle user, enrolled as student in the courses of their estado and period', async () => {
    const a = alumno();
    const env = await cuentaCreada(a);
    const enrolado = await replyTo(MoodleEnrolado, env, 'MoodleEnrolado');

    const user = await sandboxUser(a.upn);
    expect(user).toMatchObject({
      username: a.upn.toLowerCase(),
      email: a.upn.toLowerCase(),
      auth: 'oauth2',
      idnumber: a.alumno.dni,
      firstname: 'Ana',
    });
    expect(enrolado.payload).toEqual({
      alumnoId: a.alumnoId,
      moodleUserId: user!.id,
      username: a.upn.toLowerCase(),
      cursos: [
        { shortname: 'ING-2027-INTRO', courseId: courseId('ING-2027-INTRO') },
        { shortname: 'ING-2027-MATE', courseId: courseId('ING-2027-MATE') },
      ],
    });
    expect(user!.enrolments.map((e) => [e.courseid, e.roleids]).sort()).toEqual(
      [
        [courseId('ING-2027-INTRO'), [5]],
        [courseId('ING-2027-MATE'), [5]],
      ].sort(),
    );
    expect(await rows(a.alumnoId)).toMatchObject([
      { shortname: 'ING-2027-INTRO', estado: 'enrolada', role_id: 5 },
      { shortname: 'ING-2027-MATE', estado: 'enrolada', role_id: 5 },
    ]);
    const { rows: usuarios } = await db.query(
      `SELECT username, moodle_user_id, auth, origen FROM "${schema}".moodle_usuario WHERE alumno_id = $1`,
      [a.alumnoId],
    );
    expect(usuarios).toEqual([
      { username: a.upn.toLowerCase(), moodle_user_id: user!.id, auth: 'oauth2', origen: 'creado' },
    ]);
  });

  it('creates the user of a student whose name holds tags with the name Moodle keeps (PARAM_NOTAGS), instead of failing', async () => {
    const a = alumno();
    a.alumno = { ...a.alumno, nombre: '<script>alert(1)</script>Ana', apellido: 'Paz <b>' };
    const env = await cuentaCreada(a);
    const enrolado = await replyTo(MoodleEnrolado, env, 'MoodleEnrolado');
    const user = await sandboxUser(a.upn);
    expect(user).toMatchObject({ id: enrolado.payload.moodleUserId, firstname: 'alert(1)Ana', lastname: 'Paz' });
    expect(broker.repliesTo(MoodleFallido, env)).toEqual([]);
  });

  it('creates nothing new for a duplicate delivery or an operator’s EnrolarMoodle retry', async () => {
    const a = alumno();
    const first = await cuentaCreada(a);
    await replyTo(MoodleEnrolado, first, 'the first MoodleEnrolado');
    const before = await sandboxUser(a.upn);
    const duplicatesBefore = await duplicatesSeen();

    await broker.send(CuentaTeamsCreada, first);
    await waitFor(async () => (await duplicatesSeen()) > duplicatesBefore, 'the duplicate to be recognised');
    const retry = await broker.publish(EnrolarMoodle, a);
    const again = await replyTo(MoodleEnrolado, retry, 'MoodleEnrolado for the retry');

    expect(again.payload).toMatchObject({
      moodleUserId: before!.id,
      cursos: [{ shortname: 'ING-2027-INTRO' }, { shortname: 'ING-2027-MATE' }],
    });
    expect(broker.repliesTo(MoodleEnrolado, first)).toHaveLength(1);
    expect(
      await sandbox.admin<SandboxUser[]>(`/moodle/users?username=${encodeURIComponent(a.upn.toLowerCase())}`),
    ).toHaveLength(1);
    const after = await sandboxUser(a.upn);
    expect(after!.enrolments).toHaveLength(2);
    expect(after!.enrolments.map((e) => e.roleids)).toEqual([[5], [5]]);
  });

  it('leaves an enrolment that existed before Lucy as it is, and does not remove it on compensation', async () => {
    const a = alumno();
    // Someone created the user by hand and made them a teacher (role 3) of the intro course.
    const { id } = await moodle.crearUsuario({
      username: a.upn.toLowerCase(),
      auth: 'manual',
      password: 'Previa-2027!x',
      firstname: 'Ana',
      lastname: 'Prueba',
      email: a.upn.toLowerCase(),
      idnumber: '',
    });
    await moodle.enrolar(3, [{ userid: id, courseid: courseId('ING-2027-INTRO') }]);

    const enrolado = await replyTo(MoodleEnrolado, await cuentaCreada(a), 'MoodleEnrolado');
    expect(enrolado.payload).toMatchObject({
      moodleUserId: id,
      cursos: [{ shortname: 'ING-2027-INTRO' }, { shortname: 'ING-2027-MATE' }],
    });
    const user = await sandboxUser(a.upn);
    expect(user!.auth).toBe('manual');
    expect(user!.enrolments.find((e) => e.courseid === courseId('ING-2027-INTRO'))!.roleids).toEqual([3]);
    expect(user!.enrolments.find((e) => e.courseid === courseId('ING-2027-MATE'))!.roleids).toEqual([5]);
    expect((await rows(a.alumnoId)).map((r) => [r.shortname, r.estado])).toEqual([
      ['ING-2027-INTRO', 'preexistente'],
      ['ING-2027-MATE', 'enrolada'],
    ]);

    const desenrolar = await broker.publish(DesenrolarMoodle, { alumnoId: a.alumnoId, upn: a.upn });
    const desenrolado = await waitFor(() => broker.repliesTo(MoodleDesenrolado, desenrolar)[0], 'MoodleDesenrolado');
    expect(desenrolado.payload).toEqual({ alumnoId: a.alumnoId, moodleUserId: id, cursos: ['ING-2027-MATE'] });
    expect((await sandboxUser(a.upn))!.enrolments.map((e) => [e.courseid, e.roleids])).toEqual([
      [courseId('ING-2027-INTRO'), [3]],
    ]);
  });

  it('while Moodle is down its breaker opens and the students wait in the paused queue: no MoodleFallido, nothing parked, all enrolled once it is back', async () => {
    const guard = app.get<DependencyGuard>(guardToken('moodle'));
    // The error rate is measured over the last 2 s: start from a window the earlier tests' calls have left.
    await waitFor(() => guard.describe().window.fires === 0, 'a quiet breaker window', { timeoutMs: 5_000 });
    await sandbox.admin('/faults/moodle', 'PUT', { downForMs: 120_000 });
    const queue = async () => (await app.get(MessagingRuntime).queueStatus()).find((q) => q.queue === service)!;
    const estados = () =>
      breakerEvents.messages
        .map((m) => m.env.payload as BreakerCambiado)
        .filter((e) => e.servicio === service)
        .map((e) => e.estado);
    const alumnos = [alumno(), alumno(), alumno(), alumno()];
    const envs = [];
    for (const a of alumnos) envs.push(await cuentaCreada(a));

    await waitFor(() => guard.state === 'open', 'the Moodle breaker to open', { timeoutMs: 15_000 });
    await waitFor(async () => (await queue()).paused, 'the queue to be paused', { timeoutMs: 5_000 });
    // It probes every second and stays open; meanwhile nobody's retries are spent and nobody fails.
    await waitFor(() => estados().filter((e) => e === 'half-open').length >= 2, 'two failed probes', {
      timeoutMs: 10_000,
    });
    for (const env of envs) expect(broker.repliesTo(MoodleFallido, env)).toHaveLength(0);
    expect((await queue()).parked).toBe(0);

    await sandbox.admin('/faults/reset', 'POST');
    const enrolados = await Promise.all(
      envs.map((env, i) =>
        waitFor(() => broker.repliesTo(MoodleEnrolado, env)[0], `MoodleEnrolado ${i}`, { timeoutMs: 30_000 }),
      ),
    );
    for (const e of enrolados)
      expect(e.payload.cursos.map((c) => c.shortname)).toEqual(['ING-2027-INTRO', 'ING-2027-MATE']);
    for (const env of envs) expect(broker.repliesTo(MoodleFallido, env)).toHaveLength(0);
    expect(guard.state).toBe('closed');
    expect(estados()).toEqual(expect.arrayContaining(['open', 'half-open', 'closed']));
    expect(await queue()).toMatchObject({ paused: false, parked: 0 });
  }, 90_000);

  it('reports an unknown course as a permanent MoodleFallido naming it, without retrying', async () => {
    const a = alumno();
    const env = await broker.publish(EnrolarMoodle, { ...a, cursos: ['ING-2027-INTRO', 'NO-EXISTE-2027'] });
    const fallido = await waitFor(() => broker.repliesTo(MoodleFallido, env)[0], 'MoodleFallido');

    expect(fallido.payload).toMatchObject({ alumnoId: a.alumnoId, permanente: true, codigo: 'curso-desconocido' });
    expect(fallido.payload.motivo).toContain('NO-EXISTE-2027');
    expect(fallido.payload.motivo).not.toContain('ING-2027-INTRO');
    // The user was created before the courses were looked at; it is kept and recorded, unenrolled.
    expect((await sandboxUser(a.upn))!.enrolments).toEqual([]);
    expect(await rows(a.alumnoId)).toEqual([]);
    expect(await broker.queueDepth(`${service}.parked`)).toBe(0);
  });

  it('enrols in the courses configured for any period of the estado', async () => {
    const a = alumno('aspirante');
    a.alumno.periodo = '2031-2C';
    const enrolado = await replyTo(MoodleEnrolado, await cuentaCreada(a), 'MoodleEnrolado');
    expect(enrolado.payload.cursos).toEqual([{ shortname: 'ING-2027-ECO', courseId: courseId('ING-2027-ECO') }]);
  });

  it("enrols in the courses the student's source states too (cursosFuente), with the configured ones, each once", async () => {
    const a = alumno();
    a.alumno.cursosFuente = ['CP-101', 'ING-2027-MATE'];
    const enrolado = await replyTo(MoodleEnrolado, await cuentaCreada(a), 'MoodleEnrolado');
    expect(enrolado.payload.cursos.map((c) => c.shortname)).toEqual(['ING-2027-INTRO', 'ING-2027-MATE', 'CP-101']);
    expect((await sandboxUser(a.upn))!.enrolments.map((e) => e.courseid).sort((x, y) => x - y)).toEqual(
      [courseId('ING-2027-INTRO'), courseId('ING-2027-MATE'), courseId('CP-101')].sort((x, y) => x - y),
    );
    // An estado with no configured courses: the source's alone.
    const b = alumno('preinscripto');
    b.alumno.cursosFuente = ['LE-101'];
    const soloFuente = await replyTo(MoodleEnrolado, await cuentaCreada(b), 'MoodleEnrolado of b');
    expect(soloFuente.payload.cursos).toEqual([{ shortname: 'LE-101', courseId: courseId('LE-101') }]);
  });

  it('DesenrolarMoodle removes the enrolments Lucy made, and counts those already gone as removed', async () => {
    const a = alumno();
    await replyTo(MoodleEnrolado, await cuentaCreada(a), 'MoodleEnrolado');
    const userId = (await sandboxUser(a.upn))!.id;

    const env = await broker.publish(DesenrolarMoodle, { alumnoId: a.alumnoId, upn: a.upn });
    const desenrolado = await waitFor(() => broker.repliesTo(MoodleDesenrolado, env)[0], 'MoodleDesenrolado');
    expect(desenrolado.payload).toEqual({
      alumnoId: a.alumnoId,
      moodleUserId: userId,
      cursos: ['ING-2027-INTRO', 'ING-2027-MATE'],
    });
    expect((await sandboxUser(a.upn))!.enrolments).toEqual([]);
    expect((await rows(a.alumnoId)).map((r) => [r.estado, r.desenrolada_at !== null])).toEqual([
      ['desenrolada', true],
      ['desenrolada', true],
    ]);

    const again = await broker.publish(DesenrolarMoodle, {
      alumnoId: a.alumnoId,
      upn: a.upn,
      cursos: ['ING-2027-MATE', 'CURSO-BORRADO'],
    });
    const ok = await waitFor(() => broker.repliesTo(MoodleDesenrolado, again)[0], 'MoodleDesenrolado again');
    expect(ok.payload).toEqual({
      alumnoId: a.alumnoId,
      moodleUserId: userId,
      cursos: ['ING-2027-MATE', 'CURSO-BORRADO'],
    });
  });

  it('creates a manual user with a generated password that passes a strict site policy, and keeps it nowhere', async () => {
    const before = await sandbox.admin<{ passwordPolicy: unknown }>('/moodle/config');
    await sandbox.admin('/moodle/config', 'PUT', {
      passwordPolicy: {
        enabled: true,
        minLength: 20,
        minDigits: 3,
        minLower: 3,
        minUpper: 3,
        minNonAlphanum: 3,
        maxConsecutiveIdentChars: 1,
      },
    });
    try {
      const a = alumno();
      const saved: unknown[] = [];
      // What reaches the table: the repository's rows, kept here instead of written.
      const registrados = new (class extends MoodleUsuarioRepository {
        override async delAlumno() {
          return null;
        }
        override async guardar(_m: EntityManager, row: Parameters<MoodleUsuarioRepository['guardar']>[1]) {
          saved.push(row);
        }
      })();
      const manager = {} as EntityManager;
      await new UsuarioMoodleService(
        moodle,
        new RuntimeConfig(RUNTIME_KEYS, {
          cursos: {},
          cursosAnteriores: 'conservar',
          moodleAuth: 'manual',
          zonaHoraria: '99',
        }),
        registrados,
      ).encontrarOCrear(manager, a.alumnoId, a.upn, a.alumno);

      const user = await sandboxUser(a.upn);
      expect(user).toMatchObject({ auth: 'manual', passwordSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(saved).toEqual([expect.objectContaining({ alumnoId: a.alumnoId, auth: 'manual', origen: 'creado' })]);
      expect(JSON.stringify(saved)).not.toMatch(/password/i);
    } finally {
      await sandbox.admin('/moodle/config', 'PUT', { passwordPolicy: before.passwordPolicy });
    }
  });

  it('answers DesenrolarMoodle for a student Moodle never had with MoodleDesenrolado', async () => {
    const a = alumno();
    const env = await broker.publish(DesenrolarMoodle, { alumnoId: a.alumnoId, upn: a.upn });
    const ok = await waitFor(() => broker.repliesTo(MoodleDesenrolado, env)[0], 'MoodleDesenrolado');
    expect(ok.payload).toEqual({ alumnoId: a.alumnoId, moodleUserId: null, cursos: [] });
  });
});
