// moodle-service applies the runtime keys it owns (cursos, moodleAuth, zonaHoraria) without a restart,
// against the real RabbitMQ and PostgreSQL and the sandbox's Moodle stand-in: after ConfiguracionCambiada
// the next student is created with the operator's auth plugin and time zone and enrolled in exactly the
// new courses; the students enrolled before keep their enrolments; keys the operator has not set stay
// on the environment; a value the service cannot use is kept out and shown in /health/ready.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  type AlumnoDatos,
  type Configuracion,
  ConfiguracionCambiada,
  CuentaTeamsCreada,
  MoodleEnrolado,
} from '@lucy/contracts';
import { bootstrapService, loadConfig, parseSecretKeys, SecretBox } from '@lucy/platform';
import { controlQueueOf } from '@lucy/resilience';
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
  CONFIGURACION_DE_PRUEBA,
} from '@lucy/testing';
import { type MoodleConfig, moodleConfigSchema } from '../src/config.js';
import type { RuntimeKey } from '../src/runtime-keys.js';
import { MoodleClient } from '../src/moodle/moodle.client.js';
import { MoodleModule } from '../src/moodle.module.js';

const { schema, service } = throwawayNames('moodlecfg');
const RETRY_DELAYS = [100, 200];
/** The limiter's state for 'moodle' in a Redis database of these tests' own (enrolamiento.int.spec.ts has 4), dropped at the end. */
const REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/10`;

/** What the environment says: the values in force until an operator sets a key. */
const CURSOS_ENTORNO = { ingresante: { '2027': ['ING-2027-INTRO'] }, aspirante: { '*': ['ING-2027-ECO'] } };

/** A full configuration as the gateway publishes it; each test says which keys the operator has set. */
const VALORES: Configuracion = {
  ...CONFIGURACION_DE_PRUEBA,
  cursos: { ingresante: { '*': ['ING-2027-INTRO', 'ING-2027-MATE'] } },
};

interface SandboxUser {
  id: number;
  username: string;
  auth: string;
  timezone: string;
  enrolments: { courseid: number; roleids: number[] }[];
}

describe('moodle-service runtime configuration', () => {
  let sandbox: TestSandbox;
  let app: INestApplication;
  let broker: BrokerTap;
  let db: pg.Client;
  let config: MoodleConfig;
  let courseId: (shortname: string) => number;
  const box = new SecretBox(parseSecretKeys(randomBytes(32).toString('base64')));
  const runtime = () => app.get<RuntimeConfig<RuntimeKey>>(RuntimeConfig);

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
      MOODLE_RPM: '6000', // the stand-in enforces none: these tests wait for changes, not for the limiter
      CONFIG_POLL_MS: '200',
      MOODLE_CURSOS: JSON.stringify(CURSOS_ENTORNO),
      MOODLE_AUTH: 'oauth2',
      MOODLE_TIMEZONE: '99', // the Moodle server's zone, the default
    });
    app = await bootstrapService({
      module: MoodleModule,
      config,
      port: 0,
      logging: { destination: new Writable({ write: (_c, _e, done) => done() }) },
    });
    broker = await BrokerTap.open([onEvents('moodle.#')], { url: config.RABBITMQ_URL });
    db = new pg.Client({ connectionString: config.DATABASE_URL });
    await db.connect();
  });

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

  function alumno(estado: AlumnoDatos['estado'] = 'ingresante'): {
    alumnoId: string;
    upn: string;
    alumno: AlumnoDatos;
  } {
    const dni = String(30_000_000 + Math.floor(Math.random() * 9_000_000));
    return {
      alumnoId: randomUUID(),
      upn: `${dni}.Config@Alumnos.Facultad.edu.ar`,
      alumno: {
        dni,
        nombre: 'Ana',
        apellido: 'Config',
        emailPersonal: null,
        emailInstitucional: null,
        carrera: 'Contador Público',
        estado,
        periodo: '2027',
      },
    };
  }

  /** A student with a Teams account, through to MoodleEnrolado; the Moodle user as the sandbox keeps it. */
  async function enrolar(a: ReturnType<typeof alumno>) {
    const env = await broker.publish(CuentaTeamsCreada, {
      ...a,
      graphUserId: randomUUID(),
      existente: false,
      credencial: box.seal('Temporal-1234', a.alumnoId),
      credencialVersion: 1,
    });
    const enrolado = await waitFor(() => broker.repliesTo(MoodleEnrolado, env)[0], 'MoodleEnrolado');
    return { enrolado: enrolado.payload, user: await sandboxUser(a.upn) };
  }

  async function sandboxUser(upn: string): Promise<SandboxUser> {
    const [u] = await sandbox.admin<SandboxUser[]>(`/moodle/users?username=${encodeURIComponent(upn.toLowerCase())}`);
    return sandbox.admin<SandboxUser>(`/moodle/users/${u!.id}`);
  }

  const courseIdsOf = (user: SandboxUser) => user.enrolments.map((e) => e.courseid).sort();
  const ids = (...shortnames: string[]) => shortnames.map(courseId).sort();

  const announce = (version: number, cambios: Partial<Configuracion>, fijadas: (keyof Configuracion)[]) =>
    broker.publish(ConfiguracionCambiada, {
      version,
      valores: { ...VALORES, ...cambios },
      cambios: Object.keys(cambios),
      fijadas,
      cambiadoPor: 'ana@test',
    });
  const applied = (version: number) =>
    waitFor(() => runtime().version === version, `version ${version} applied`, { timeoutMs: 10_000 });

  async function health() {
    const res = await fetch(`${await app.getUrl()}/health/ready`);
    return ((await res.json()) as { details: Record<string, unknown> }).details.configuracion;
  }

  let antes: ReturnType<typeof alumno>;

  it('starts on its environment: oauth2 users in the server’s time zone, the courses of MOODLE_CURSOS', async () => {
    antes = alumno();
    const { user } = await enrolar(antes);
    expect(user).toMatchObject({ auth: 'oauth2', timezone: '99' });
    expect(courseIdsOf(user)).toEqual(ids('ING-2027-INTRO'));
    expect(await health()).toMatchObject({ version: 0, fijadas: [], rechazadas: {} });
  });

  it('creates the next student with the operator’s auth and time zone, enrolled in exactly the new courses; those enrolled before keep theirs', async () => {
    await announce(
      1,
      {
        cursos: { ingresante: { '*': ['ING-2027-MATE', 'CP-101'] } },
        moodleAuth: 'manual',
        zonaHoraria: 'America/Argentina/Cordoba',
      },
      ['cursos', 'moodleAuth', 'zonaHoraria'],
    );
    await applied(1);

    const a = alumno();
    const { enrolado, user } = await enrolar(a);
    expect(user).toMatchObject({ auth: 'manual', timezone: 'America/Argentina/Cordoba' });
    expect(courseIdsOf(user)).toEqual(ids('ING-2027-MATE', 'CP-101'));
    expect(enrolado.cursos.map((c) => c.shortname).sort()).toEqual(['CP-101', 'ING-2027-MATE']);
    // As any Web Services client sees it.
    const [ws] = (await app
      .get(MoodleClient)
      .call('core_user_get_users_by_field', { field: 'id', values: [user.id] })) as {
      timezone?: string;
      auth?: string;
    }[];
    expect(ws).toMatchObject({ auth: 'manual', timezone: 'America/Argentina/Cordoba' });

    // The change applies to the next enrolment: the student enrolled before is left as they were.
    expect(courseIdsOf(await sandboxUser(antes.upn))).toEqual(ids('ING-2027-INTRO'));
    expect(await health()).toMatchObject({
      version: 1,
      cambiadoPor: 'ana@test',
      fijadas: ['cursos', 'moodleAuth', 'zonaHoraria'],
      rechazadas: {},
    });
  });

  it('keeps the environment’s value for every key the operator has not set', async () => {
    // The gateway sends every key's value; only cursos is the operator's now.
    await announce(
      2,
      { cursos: { aspirante: { '*': ['LE-101'] } }, moodleAuth: 'oidc', zonaHoraria: 'Europe/Madrid' },
      ['cursos'],
    );
    await applied(2);

    const { user } = await enrolar(alumno('aspirante'));
    expect(user).toMatchObject({ auth: 'oauth2', timezone: '99' });
    expect(courseIdsOf(user)).toEqual(ids('LE-101'));
    expect(runtime().get('moodleAuth')).toBe('oauth2');
    expect(runtime().get('zonaHoraria')).toBe('99');
  });

  it('refuses a course map or a time zone it cannot use, keeps the values in force, and says why in /health/ready', async () => {
    // Both pass the contract: a shortname that is blank once trimmed, an IANA zone Moodle's PARAM_TIMEZONE refuses.
    await announce(3, { cursos: { aspirante: { '*': ['  '] } }, zonaHoraria: 'Etc/GMT+3', moodleAuth: 'manual' }, [
      'cursos',
      'zonaHoraria',
      'moodleAuth',
    ]);
    await applied(3);

    expect(await health()).toMatchObject({
      status: 'up',
      version: 3,
      rechazadas: {
        cursos: expect.stringContaining('aspirante.*.0'),
        zonaHoraria: expect.stringContaining('Moodle refuses'),
      },
    });
    const { user } = await enrolar(alumno('aspirante'));
    expect(user).toMatchObject({ auth: 'manual', timezone: '99' });
    expect(courseIdsOf(user)).toEqual(ids('LE-101'));
  });

  it('never applies a course map keyed by an unknown estado: the contract refuses the message, parked with its reason', async () => {
    const before = runtime().get('cursos');
    const env = {
      ...broker.envelope(ConfiguracionCambiada, {
        version: 4,
        valores: VALORES,
        cambios: ['cursos'],
        fijadas: ['cursos'],
        cambiadoPor: 'ana@test',
      }),
    };
    env.payload = {
      ...env.payload,
      valores: { ...VALORES, cursos: { graduado: { '*': ['ING-2027-INTRO'] } } as Configuracion['cursos'] },
    };
    await broker.send(ConfiguracionCambiada, env);
    await waitFor(
      async () => (await broker.queueDepth(`${controlQueueOf(service)}.parked`)) === 1,
      'the change to be parked',
      { timeoutMs: 10_000 },
    );
    expect(runtime().version).toBe(3);
    expect(runtime().get('cursos')).toEqual(before);
  });
});
