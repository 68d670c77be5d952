// moodle-service over the student's stay, in-process against the real RabbitMQ and PostgreSQL and the
// sandbox's Moodle stand-in: ActualizarUsuarioMoodle sends only what Moodle does not hold and suspends or
// lifts the suspension; ActualizarInscripciones enrols the new estado's courses and keeps or unenrols the
// previous ones as the runtime key cursosAnteriores says (never one Lucy did not enrol); InscribirCursos
// enrols all the operator's courses or none; a redelivered command has no second effect.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  type AlumnoDatos,
  type Configuracion,
  type Envelope,
  type MessageDefinition,
  ActualizarInscripciones,
  ActualizarUsuarioMoodle,
  ConfiguracionCambiada,
  CuentaTeamsCreada,
  CursosInscriptos,
  EliminarUsuarioMoodle,
  InscribirCursos,
  InscripcionesActualizacionFallida,
  InscripcionesActualizadas,
  InscripcionFallida,
  MoodleEnrolado,
  UsuarioMoodleActualizacionFallida,
  UsuarioMoodleActualizado,
  UsuarioMoodleEliminacionFallida,
  UsuarioMoodleEliminado,
} from '@lucy/contracts';
import { bootstrapService, loadConfig, parseSecretKeys, SecretBox } from '@lucy/platform';
import { controlQueueOf } from '@lucy/resilience';
import { RuntimeConfig } from '@lucy/runtime-config';
import { Redis } from 'ioredis';
import {
  BrokerTap,
  CONFIGURACION_DE_PRUEBA,
  deleteServiceQueues,
  dropSchema,
  onEvents,
  startTestSandbox,
  throwawayNames,
  waitFor,
  type TestSandbox,
} from '@lucy/testing';
import { type MoodleConfig, moodleConfigSchema } from '../src/config.js';
import type { RuntimeKey } from '../src/runtime-keys.js';
import { MoodleClient } from '../src/moodle/moodle.client.js';
import { MoodleModule } from '../src/moodle.module.js';

const { schema, service } = throwawayNames('moodleciclo');
const RETRY_DELAYS = [100, 200];
/** The limiter's state for 'moodle' in a Redis database of these tests' own (the other suites use 4 and 10). */
const REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/13`;

const CURSOS = {
  preinscripto: { '*': ['ING-2027-INTRO', 'ING-2027-MATE'] },
  ingresante: { '*': ['ING-2027-INTRO', 'ING-2027-ECO'] },
};

interface SandboxUser {
  id: number;
  username: string;
  firstname: string;
  lastname: string;
  email: string;
  idnumber: string;
  suspended: boolean;
  enrolments: { courseid: number; roleids: number[] }[];
}

describe('moodle-service over the student’s stay', () => {
  let sandbox: TestSandbox;
  let app: INestApplication;
  let url: string;
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
      MOODLE_RPM: '6000', // the stand-in enforces none: these tests wait for Moodle's state, not for the limiter
      CONFIG_POLL_MS: '200',
      MOODLE_CURSOS: JSON.stringify(CURSOS),
    });
    app = await bootstrapService({
      module: MoodleModule,
      config,
      port: 0,
      logging: { destination: new Writable({ write: (_c, _e, done) => done() }) },
    });
    url = await app.getUrl();
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

  function alumno(estado: AlumnoDatos['estado'] = 'preinscripto'): {
    alumnoId: string;
    upn: string;
    alumno: AlumnoDatos;
  } {
    const dni = String(30_000_000 + Math.floor(Math.random() * 9_000_000));
    return {
      alumnoId: randomUUID(),
      upn: `${dni}.Ciclo@Alumnos.Facultad.edu.ar`,
      alumno: {
        dni,
        nombre: 'Ana',
        apellido: 'Ciclo',
        emailPersonal: null,
        emailInstitucional: null,
        carrera: 'Contador Público',
        estado,
        periodo: '2027',
      },
    };
  }

  const replyTo = <D extends MessageDefinition>(def: D, env: Envelope, what: string) =>
    waitFor(() => broker.repliesTo(def, env)[0], what);

  /** Onboarded as moodle-service does it: the Moodle user and the courses of the student's estado. */
  async function onboarded(a: ReturnType<typeof alumno>) {
    const env = await broker.publish(CuentaTeamsCreada, {
      ...a,
      graphUserId: randomUUID(),
      existente: false,
      credencial: box.seal('Temporal-1234', a.alumnoId),
      credencialVersion: 1,
    });
    return (await replyTo(MoodleEnrolado, env, 'MoodleEnrolado')).payload;
  }

  async function sandboxUser(upn: string): Promise<SandboxUser | undefined> {
    const [u] = await sandbox.admin<SandboxUser[]>(`/moodle/users?username=${encodeURIComponent(upn.toLowerCase())}`);
    return u && sandbox.admin<SandboxUser>(`/moodle/users/${u.id}`);
  }
  const courseIdsOf = async (upn: string) => ((await sandboxUser(upn))?.enrolments ?? []).map((e) => e.courseid).sort();
  const ids = (...shortnames: string[]) => shortnames.map(courseId).sort();
  /** How many times Moodle was asked `wsfunction` (the stand-in records each call). */
  const callsTo = (wsfunction: string) => sandbox.moodle.calls.filter((c) => c.wsfunction === wsfunction).length;

  const rows = async (alumnoId: string) =>
    (
      await db.query(`SELECT shortname, estado FROM "${schema}".inscripcion WHERE alumno_id = $1 ORDER BY shortname`, [
        alumnoId,
      ])
    ).rows.map((r: { shortname: string; estado: string }) => [r.shortname, r.estado]);

  async function duplicatesOf(type: string): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('lucy_messages_consumed_total{') &&
          l.includes(`type="${type}"`) &&
          l.includes('outcome="duplicate"'),
      );
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  /** Delivers `env` again, as RabbitMQ would after a lost ack, and waits until the inbox has recognised it. */
  async function redeliver<D extends MessageDefinition>(def: D, env: Envelope) {
    const type = `${env.type}@v${env.version}`;
    const before = await duplicatesOf(type);
    await broker.send(def, env);
    await waitFor(async () => (await duplicatesOf(type)) > before, `the redelivered ${type} to be recognised`);
  }

  const cambioDeEstado = (a: ReturnType<typeof alumno>, estado: AlumnoDatos['estado']) =>
    broker.publish(ActualizarInscripciones, {
      ...a,
      alumno: { ...a.alumno, estado },
      anterior: { estado: a.alumno.estado, periodo: a.alumno.periodo },
    });

  async function cursosAnteriores(version: number, valor: Configuracion['cursosAnteriores']) {
    await broker.publish(ConfiguracionCambiada, {
      version,
      valores: { ...CONFIGURACION_DE_PRUEBA, cursos: CURSOS, cursosAnteriores: valor },
      cambios: ['cursosAnteriores'],
      fijadas: ['cursosAnteriores'],
      cambiadoPor: 'ana@test',
    });
    await waitFor(() => runtime().version === version, `version ${version} applied`, { timeoutMs: 10_000 });
    expect(runtime().get('cursosAnteriores')).toBe(valor);
  }

  describe('ActualizarUsuarioMoodle', () => {
    it('sends Moodle only the profile fields that differ, and nothing when nothing does', async () => {
      const a = alumno();
      const { moodleUserId } = await onboarded(a);
      const updatesBefore = callsTo('core_user_update_users');

      const cambio = { ...a, alumno: { ...a.alumno, nombre: 'Ana <b>María</b>' } };
      const env = await broker.publish(ActualizarUsuarioMoodle, cambio);
      const actualizado = await replyTo(UsuarioMoodleActualizado, env, 'UsuarioMoodleActualizado');
      expect(actualizado.payload).toEqual({
        alumnoId: a.alumnoId,
        moodleUserId,
        campos: ['firstname'],
        suspendido: false,
      });
      // The name as Moodle keeps it (PARAM_NOTAGS, as at creation); the rest as it was.
      expect(await sandboxUser(a.upn)).toMatchObject({
        firstname: 'Ana María',
        lastname: 'Ciclo',
        email: a.upn.toLowerCase(),
        idnumber: a.alumno.dni,
        suspended: false,
      });
      expect(callsTo('core_user_update_users')).toBe(updatesBefore + 1);

      // The same data again (another command, not a redelivery): Moodle holds it all, nothing is sent.
      const otra = await broker.publish(ActualizarUsuarioMoodle, cambio);
      expect((await replyTo(UsuarioMoodleActualizado, otra, 'the second UsuarioMoodleActualizado')).payload).toEqual({
        alumnoId: a.alumnoId,
        moodleUserId,
        campos: [],
        suspendido: false,
      });
      expect(callsTo('core_user_update_users')).toBe(updatesBefore + 1);
    });

    it('puts back a field changed in Moodle by hand, and sends a DNI Moodle does not report', async () => {
      const a = alumno();
      const { moodleUserId } = await onboarded(a);
      await app.get(MoodleClient).actualizarUsuario(moodleUserId, { lastname: 'Otro', idnumber: '' });

      const env = await broker.publish(ActualizarUsuarioMoodle, a);
      const actualizado = await replyTo(UsuarioMoodleActualizado, env, 'UsuarioMoodleActualizado');
      expect(actualizado.payload.campos).toEqual(['lastname', 'idnumber']);
      expect(await sandboxUser(a.upn)).toMatchObject({ lastname: 'Ciclo', idnumber: a.alumno.dni });
    });

    it('suspends the Moodle user of a student leaving, keeping their courses, and lifts it when they come back', async () => {
      const a = alumno();
      const { moodleUserId } = await onboarded(a);

      const baja = await broker.publish(ActualizarUsuarioMoodle, { ...a, suspendido: true });
      expect((await replyTo(UsuarioMoodleActualizado, baja, 'suspended')).payload).toEqual({
        alumnoId: a.alumnoId,
        moodleUserId,
        campos: ['suspended'],
        suspendido: true,
      });
      // As any Web Services client sees it.
      const [ws] = await app.get(MoodleClient).usuariosPor('id', [moodleUserId]);
      expect(ws).toMatchObject({ id: moodleUserId, suspended: true });
      expect(await courseIdsOf(a.upn)).toEqual(ids('ING-2027-INTRO', 'ING-2027-MATE'));

      const retorno = await broker.publish(ActualizarUsuarioMoodle, { ...a, suspendido: false });
      expect((await replyTo(UsuarioMoodleActualizado, retorno, 'unsuspended')).payload).toMatchObject({
        campos: ['suspended'],
        suspendido: false,
      });
      expect((await sandboxUser(a.upn))!.suspended).toBe(false);
    });

    it('answers a student with no Moodle user with nothing updated, not a failure', async () => {
      const a = alumno();
      const env = await broker.publish(ActualizarUsuarioMoodle, { ...a, suspendido: true });
      expect((await replyTo(UsuarioMoodleActualizado, env, 'UsuarioMoodleActualizado')).payload).toEqual({
        alumnoId: a.alumnoId,
        moodleUserId: null,
        campos: [],
        suspendido: true,
      });
      expect(broker.repliesTo(UsuarioMoodleActualizacionFallida, env)).toEqual([]);
      expect(await sandboxUser(a.upn)).toBeUndefined();
    });

    it('does nothing twice for a redelivered command', async () => {
      const a = alumno();
      await onboarded(a);
      const env = await broker.publish(ActualizarUsuarioMoodle, { ...a, suspendido: true });
      await replyTo(UsuarioMoodleActualizado, env, 'UsuarioMoodleActualizado');
      // Lifted by hand meanwhile: a second run would suspend the user again.
      await app.get(MoodleClient).actualizarUsuario((await sandboxUser(a.upn))!.id, { suspended: 0 });
      const updates = callsTo('core_user_update_users');

      await redeliver(ActualizarUsuarioMoodle, env);
      expect(broker.repliesTo(UsuarioMoodleActualizado, env)).toHaveLength(1);
      expect(callsTo('core_user_update_users')).toBe(updates);
      expect((await sandboxUser(a.upn))!.suspended).toBe(false);
    });
  });

  describe('EliminarUsuarioMoodle', () => {
    it('deletes a leaver’s Moodle user (core_user_delete_users); a return makes a new one, active, in their courses', async () => {
      const a = alumno();
      const { moodleUserId } = await onboarded(a);
      await broker.publish(ActualizarUsuarioMoodle, { ...a, suspendido: true });
      await waitFor(async () => (await sandboxUser(a.upn))?.suspended === true, 'suspended');
      const deletes = callsTo('core_user_delete_users');

      const env = await broker.publish(EliminarUsuarioMoodle, { alumnoId: a.alumnoId, upn: a.upn });
      expect((await replyTo(UsuarioMoodleEliminado, env, 'UsuarioMoodleEliminado')).payload).toEqual({
        alumnoId: a.alumnoId,
        moodleUserId,
        yaNoExistia: false,
      });
      expect(callsTo('core_user_delete_users')).toBe(deletes + 1);
      expect(await sandboxUser(a.upn)).toBeUndefined();
      expect(await app.get(MoodleClient).usuariosPor('id', [moodleUserId])).toEqual([]);
      expect(await rows(a.alumnoId)).toEqual([
        ['ING-2027-INTRO', 'desenrolada'],
        ['ING-2027-MATE', 'desenrolada'],
      ]);

      // Redelivered: nothing more is asked of Moodle. Sent again (a retried step): nothing to delete.
      await redeliver(EliminarUsuarioMoodle, env);
      expect(broker.repliesTo(UsuarioMoodleEliminado, env)).toHaveLength(1);
      const otra = await broker.publish(EliminarUsuarioMoodle, { alumnoId: a.alumnoId, upn: a.upn });
      expect((await replyTo(UsuarioMoodleEliminado, otra, 'the second UsuarioMoodleEliminado')).payload).toEqual({
        alumnoId: a.alumnoId,
        moodleUserId: null,
        yaNoExistia: true,
      });
      expect(callsTo('core_user_delete_users')).toBe(deletes + 1);

      // Back: the reactivation finds no user, so one is made and enrolled as onboarding does.
      const vuelve = await broker.publish(ActualizarUsuarioMoodle, { ...a, suspendido: false });
      const reactivado = await replyTo(UsuarioMoodleActualizado, vuelve, 'UsuarioMoodleActualizado');
      expect(reactivado.payload).toMatchObject({ alumnoId: a.alumnoId, suspendido: false, recreado: true });
      expect(reactivado.payload.moodleUserId).not.toBe(moodleUserId);
      expect(await sandboxUser(a.upn)).toMatchObject({ id: reactivado.payload.moodleUserId, suspended: false });
      expect(await courseIdsOf(a.upn)).toEqual(ids('ING-2027-INTRO', 'ING-2027-MATE'));
      expect(await rows(a.alumnoId)).toEqual([
        ['ING-2027-INTRO', 'enrolada'],
        ['ING-2027-MATE', 'enrolada'],
      ]);
    });

    it('reports a user Moodle cannot delete as a permanent failure; an unknown id is Moodle’s invalidrecord', async () => {
      // Moodle's answer to an id that is not there, as its REST server gives it (and our error from it).
      await expect(app.get(MoodleClient).eliminarUsuarios([999_999])).rejects.toMatchObject({
        code: 'moodle:invalidrecord',
        message: expect.stringContaining("Can't find data record in database table user."),
      });
      // The site admin (id 2), found as a student's user by their email: Moodle refuses to delete it.
      const [admin] = await app.get(MoodleClient).usuariosPor('id', [2]);
      const a = alumno();
      await db.query(
        `INSERT INTO "${schema}".moodle_usuario (alumno_id, username, moodle_user_id, auth, origen) VALUES ($1, $2, 2, 'manual', 'existente')`,
        [a.alumnoId, admin!.username],
      );
      const env = await broker.publish(EliminarUsuarioMoodle, { alumnoId: a.alumnoId, upn: a.upn });
      expect(
        (await replyTo(UsuarioMoodleEliminacionFallida, env, 'UsuarioMoodleEliminacionFallida')).payload,
      ).toMatchObject({ alumnoId: a.alumnoId, permanente: true, codigo: 'moodle:useradminodelete' });
      expect(await app.get(MoodleClient).usuariosPor('id', [2])).toHaveLength(1);
    });
  });

  describe('ActualizarInscripciones', () => {
    it('enrols the new estado’s courses and keeps the previous ones (cursosAnteriores: conservar, the default)', async () => {
      expect(runtime().get('cursosAnteriores')).toBe('conservar');
      const a = alumno();
      const { moodleUserId } = await onboarded(a);

      const env = await cambioDeEstado(a, 'ingresante');
      const r = await replyTo(InscripcionesActualizadas, env, 'InscripcionesActualizadas');
      expect(r.payload).toEqual({
        alumnoId: a.alumnoId,
        moodleUserId,
        enrolados: ['ING-2027-INTRO', 'ING-2027-ECO'],
        desenrolados: [],
      });
      expect(await courseIdsOf(a.upn)).toEqual(ids('ING-2027-INTRO', 'ING-2027-MATE', 'ING-2027-ECO'));
      expect(await rows(a.alumnoId)).toEqual([
        ['ING-2027-ECO', 'enrolada'],
        ['ING-2027-INTRO', 'enrolada'],
        ['ING-2027-MATE', 'enrolada'],
      ]);
    });

    it('unenrols the previous estado’s courses the new one does not list once an operator sets desenrolar, only those Lucy enrolled', async () => {
      await cursosAnteriores(1, 'desenrolar');
      const a = alumno();
      const b = alumno();
      const { moodleUserId } = await onboarded(a);
      // b was a teacher (role 3) of the mathematics course before Lucy: that enrolment is not Lucy's to remove.
      const { id: bId } = await app.get(MoodleClient).crearUsuario({
        username: b.upn.toLowerCase(),
        auth: 'oauth2',
        firstname: 'Ana',
        lastname: 'Ciclo',
        email: b.upn.toLowerCase(),
        idnumber: b.alumno.dni,
      });
      await app.get(MoodleClient).enrolar(3, [{ userid: bId, courseid: courseId('ING-2027-MATE') }]);
      await onboarded(b);

      const env = await cambioDeEstado(a, 'ingresante');
      expect((await replyTo(InscripcionesActualizadas, env, 'InscripcionesActualizadas')).payload).toEqual({
        alumnoId: a.alumnoId,
        moodleUserId,
        enrolados: ['ING-2027-INTRO', 'ING-2027-ECO'],
        desenrolados: ['ING-2027-MATE'],
      });
      expect(await courseIdsOf(a.upn)).toEqual(ids('ING-2027-INTRO', 'ING-2027-ECO'));
      expect(await rows(a.alumnoId)).toEqual([
        ['ING-2027-ECO', 'enrolada'],
        ['ING-2027-INTRO', 'enrolada'],
        ['ING-2027-MATE', 'desenrolada'],
      ]);

      const envB = await cambioDeEstado(b, 'ingresante');
      expect((await replyTo(InscripcionesActualizadas, envB, 'InscripcionesActualizadas of b')).payload).toMatchObject({
        desenrolados: [],
      });
      const userB = (await sandboxUser(b.upn))!;
      expect(userB.enrolments.find((e) => e.courseid === courseId('ING-2027-MATE'))!.roleids).toEqual([3]);
    });

    it('keeps a leaving student’s courses even so (their leave suspends them); creates a user only for a new estado with courses', async () => {
      const a = alumno();
      const { moodleUserId } = await onboarded(a);
      const env = await cambioDeEstado(a, 'baja');
      expect((await replyTo(InscripcionesActualizadas, env, 'InscripcionesActualizadas')).payload).toEqual({
        alumnoId: a.alumnoId,
        moodleUserId,
        enrolados: [],
        desenrolados: [],
      });
      expect(await courseIdsOf(a.upn)).toEqual(ids('ING-2027-INTRO', 'ING-2027-MATE'));

      const nunca = alumno();
      const env2 = await cambioDeEstado(nunca, 'ingresante');
      const r = await replyTo(InscripcionesActualizadas, env2, 'InscripcionesActualizadas');
      expect(r.payload).toMatchObject({ enrolados: ['ING-2027-INTRO', 'ING-2027-ECO'], desenrolados: [] });
      expect(r.payload.moodleUserId).toBe((await sandboxUser(nunca.upn))!.id);
      const baja = alumno();
      const env3 = await cambioDeEstado(baja, 'baja');
      expect((await replyTo(InscripcionesActualizadas, env3, 'InscripcionesActualizadas')).payload).toEqual({
        alumnoId: baja.alumnoId,
        moodleUserId: null,
        enrolados: [],
        desenrolados: [],
      });
      expect(await sandboxUser(baja.upn)).toBeUndefined();
    });

    it('does nothing twice for a redelivered command', async () => {
      const a = alumno();
      await onboarded(a);
      const env = await cambioDeEstado(a, 'ingresante');
      await replyTo(InscripcionesActualizadas, env, 'InscripcionesActualizadas');
      // Put back by hand meanwhile: a second run would take it out again.
      await app
        .get(MoodleClient)
        .enrolar(5, [{ userid: (await sandboxUser(a.upn))!.id, courseid: courseId('ING-2027-MATE') }]);
      const [enrols, unenrols] = [callsTo('enrol_manual_enrol_users'), callsTo('enrol_manual_unenrol_users')];

      await redeliver(ActualizarInscripciones, env);
      expect(broker.repliesTo(InscripcionesActualizadas, env)).toHaveLength(1);
      expect([callsTo('enrol_manual_enrol_users'), callsTo('enrol_manual_unenrol_users')]).toEqual([enrols, unenrols]);
      expect(await courseIdsOf(a.upn)).toEqual(ids('ING-2027-INTRO', 'ING-2027-MATE', 'ING-2027-ECO'));
      expect(broker.repliesTo(InscripcionesActualizacionFallida, env)).toEqual([]);
    });

    it("a new list of the source's courses: the new ones enrolled, the dropped ones unenrolled (desenrolar), the configured ones kept", async () => {
      const a = alumno();
      a.alumno.cursosFuente = ['CP-101', 'LE-101'];
      await onboarded(a);
      expect(await courseIdsOf(a.upn)).toEqual(ids('ING-2027-INTRO', 'ING-2027-MATE', 'CP-101', 'LE-101'));
      const env = await broker.publish(ActualizarInscripciones, {
        ...a,
        alumno: { ...a.alumno, cursosFuente: ['CP-101', 'LA-101'] },
        anterior: { estado: a.alumno.estado, periodo: a.alumno.periodo, cursosFuente: ['CP-101', 'LE-101'] },
      });
      expect((await replyTo(InscripcionesActualizadas, env, 'InscripcionesActualizadas')).payload).toMatchObject({
        enrolados: ['ING-2027-INTRO', 'ING-2027-MATE', 'CP-101', 'LA-101'],
        desenrolados: ['LE-101'],
      });
      expect(await courseIdsOf(a.upn)).toEqual(ids('ING-2027-INTRO', 'ING-2027-MATE', 'CP-101', 'LA-101'));
    });

    afterAll(() => cursosAnteriores(2, 'conservar'));
  });

  describe('InscribirCursos', () => {
    it('enrols a student with no Moodle user yet in every chosen course, creating the user as onboarding does', async () => {
      const a = alumno();
      const env = await broker.publish(InscribirCursos, { ...a, cursos: ['CP-101', 'LE-101', 'CP-101'] });
      const r = await replyTo(CursosInscriptos, env, 'CursosInscriptos');
      const user = (await sandboxUser(a.upn))!;
      expect(r.payload).toEqual({ alumnoId: a.alumnoId, moodleUserId: user.id, cursos: ['CP-101', 'LE-101'] });
      expect(user).toMatchObject({ email: a.upn.toLowerCase(), idnumber: a.alumno.dni });
      expect(await courseIdsOf(a.upn)).toEqual(ids('CP-101', 'LE-101'));
    });

    it('enrols in none when one course is unknown: a permanent failure naming it, before anything is made', async () => {
      const a = alumno();
      const env = await broker.publish(InscribirCursos, { ...a, cursos: ['CP-101', 'NO-EXISTE-2027', 'LA-101'] });
      const fallida = await replyTo(InscripcionFallida, env, 'InscripcionFallida');
      expect(fallida.payload).toMatchObject({ alumnoId: a.alumnoId, permanente: true, codigo: 'curso-desconocido' });
      expect(fallida.payload.motivo).toContain('NO-EXISTE-2027');
      expect(fallida.payload.motivo).not.toContain('CP-101');
      expect(await sandboxUser(a.upn)).toBeUndefined();
      expect(await rows(a.alumnoId)).toEqual([]);
      expect(broker.repliesTo(CursosInscriptos, env)).toEqual([]);
    });

    it('enrols in none when Moodle refuses one of the enrolments: its one call is undone whole', async () => {
      const a = alumno();
      const { moodleUserId } = await onboarded(a);
      await sandbox.admin(`/moodle/courses/${courseId('LA-101')}`, 'PATCH', { manualEnrol: 'disabled' });
      try {
        const env = await broker.publish(InscribirCursos, { ...a, cursos: ['CP-101', 'LA-101', 'LE-101'] });
        const fallida = await replyTo(InscripcionFallida, env, 'InscripcionFallida');
        expect(fallida.payload).toMatchObject({ permanente: true, codigo: 'moodle:wsnoinstance' });
        expect(await courseIdsOf(a.upn)).toEqual(ids('ING-2027-INTRO', 'ING-2027-MATE'));
        expect((await rows(a.alumnoId)).map(([s]) => s)).toEqual(['ING-2027-INTRO', 'ING-2027-MATE']);
        expect(moodleUserId).toBe((await sandboxUser(a.upn))!.id);
      } finally {
        await sandbox.admin(`/moodle/courses/${courseId('LA-101')}`, 'PATCH', { manualEnrol: 'enabled' });
      }
    });

    it('does nothing twice for a redelivered command', async () => {
      const a = alumno();
      const env = await broker.publish(InscribirCursos, { ...a, cursos: ['LA-101'] });
      await replyTo(CursosInscriptos, env, 'CursosInscriptos');
      const enrols = callsTo('enrol_manual_enrol_users');
      const creates = callsTo('core_user_create_users');

      await redeliver(InscribirCursos, env);
      expect(broker.repliesTo(CursosInscriptos, env)).toHaveLength(1);
      expect([callsTo('enrol_manual_enrol_users'), callsTo('core_user_create_users')]).toEqual([enrols, creates]);
      expect(await courseIdsOf(a.upn)).toEqual(ids('LA-101'));
    });
  });
});
