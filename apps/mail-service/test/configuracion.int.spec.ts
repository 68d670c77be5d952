// mail-service applying the runtime key plantillaEmail, in-process against the real RabbitMQ and
// PostgreSQL and the sandbox's SMTP stand-in: after ConfiguracionCambiada the next credentials email uses
// the operator's template; one that does not compile is refused with its reason in /health/ready while the
// previous stays; null goes back to the files; and a template change never sends a student a second email.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  ConfiguracionCambiada,
  CuentaTeamsCreada,
  EmailEnviado,
  EmailFallido,
  PasswordRestablecida,
  type AlumnoDatos,
  type Configuracion,
  type Envelope,
} from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { bootstrapService, loadConfig, parseSecretKeys, SecretBox } from '@lucy/platform';
import { controlQueueOf } from '@lucy/resilience';
import { RuntimeConfig } from '@lucy/runtime-config';
import {
  BrokerTap,
  cleanUp,
  deleteServiceQueues,
  dropSchema,
  startTestSandbox,
  throwawayNames,
  waitFor,
  type TestSandbox,
  CONFIGURACION_DE_PRUEBA,
} from '@lucy/testing';
import { mailConfigSchema } from '../src/config.js';
import { MailModule } from '../src/mail.module.js';
import { forgetRateState, TEST_REDIS_URL } from './support/rate-state.js';

const { schema, service } = throwawayNames('mail-config');
const RETRY_DELAYS = [100, 200];
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const box = new SecretBox(parseSecretKeys(KEYS));

const ARCHIVOS = 'Ana, tu cuenta de Microsoft 365 de la UNRC está lista'; // templates/bienvenida.subject.hbs
const OPERADOR = {
  asunto: 'Bienvenida {nombre} {apellido} a {carrera}',
  html: '<h1>Hola {nombre} {{apellido}}</h1><p>Usuario: <code>{upn}</code></p><p>Clave: <b>{password}</b></p><a href="{moodleUrl}">Moodle</a>',
  texto: 'Hola {nombre} {apellido}\nUsuario: {upn}\nClave: {password}\nMoodle: {moodleUrl}',
};
const OTRA = { asunto: 'Tus credenciales, {nombre}', html: '<p>{upn} / {password}</p>', texto: '{upn} / {password}' };

const VALORES: Configuracion = CONFIGURACION_DE_PRUEBA;

describe('mail-service: the credentials email set at run time (plantillaEmail)', () => {
  let sandbox: TestSandbox;
  let app: INestApplication;
  let db: pg.Client;
  let tap: BrokerTap;
  let version = 0;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ graph: false });
    const config = loadConfig(mailConfigSchema, {
      ...process.env,
      SERVICE_NAME: service,
      DB_SCHEMA: schema,
      DB_POOL_SIZE: '4',
      RABBITMQ_PREFETCH: '2',
      SMTP_HOST: sandbox.smtp.host,
      SMTP_PORT: String(sandbox.smtp.port),
      MAIL_MOODLE_URL: 'https://moodle.unrc.test/?a=1&b=2',
      CREDENTIALS_KEY: KEYS,
      RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
      CONFIG_POLL_MS: '200',
      LOG_LEVEL: 'warn',
      // The relay's rate and breaker are smtp-protection.int.spec.ts's subject; here they stay out of the way.
      REDIS_URL: TEST_REDIS_URL,
      SMTP_RPM: '6000',
      SMTP_BREAKER_VOLUME_THRESHOLD: '1000',
    });
    app = await bootstrapService({
      module: MailModule,
      config,
      port: 0,
      logging: { destination: new Writable({ write: (_c, _e, done) => done() }) },
    });
    db = new pg.Client({ connectionString: config.DATABASE_URL });
    await db.connect();
    tap = await BrokerTap.open([EmailEnviado, EmailFallido], { url: config.RABBITMQ_URL });
  });

  afterAll(() =>
    cleanUp([
      () => app?.close(),
      () => tap?.close(),
      () => deleteServiceQueues(service, RETRY_DELAYS),
      () => deleteServiceQueues(controlQueueOf(service), RETRY_DELAYS),
      () => forgetRateState(),
      () => db && dropSchema(db, schema),
      () => db?.end(),
      () => sandbox?.close(),
    ]),
  );

  /** An operator saves plantillaEmail through the gateway; resolves once this service has applied (or refused) it. */
  async function fijarPlantilla(plantillaEmail: Configuracion['plantillaEmail']): Promise<void> {
    const v = ++version;
    await tap.publish(ConfiguracionCambiada, {
      version: v,
      valores: { ...VALORES, plantillaEmail },
      cambios: ['plantillaEmail'],
      fijadas: ['plantillaEmail'],
      cambiadoPor: 'ana@test',
    });
    await waitFor(() => app.get(RuntimeConfig).version === v, `configuration version ${v} applied`, {
      timeoutMs: 10_000,
    });
  }

  async function configuracionEnSalud(): Promise<{ version: number; rechazadas: Record<string, string> }> {
    const body = (await (await fetch(`${await app.getUrl()}/health/ready`)).json()) as {
      details: { configuracion: { version: number; rechazadas: Record<string, string> } };
    };
    return body.details.configuracion;
  }

  function cuentaCreada(over: Partial<AlumnoDatos> = {}) {
    const alumnoId = randomUUID();
    const alumno: AlumnoDatos = {
      dni: String(30_000_000 + Math.floor(Math.random() * 9_000_000)),
      nombre: 'Ana',
      apellido: "D'Angelo <b>",
      emailPersonal: null,
      emailInstitucional: `ana.${randomBytes(4).toString('hex')}@unrc.test`,
      carrera: 'Física & Química',
      estado: 'ingresante',
      periodo: '2027',
      ...over,
    };
    const password = `Tmp-${randomBytes(6).toString('base64url')}&<9`;
    const payload: CuentaTeamsCreada = {
      alumnoId,
      upn: `a${alumno.dni}@estudiantes.unrc.test`,
      graphUserId: randomUUID(),
      existente: false,
      credencial: box.seal(password, alumnoId),
      credencialVersion: 1,
      alumno,
    };
    return {
      alumnoId,
      alumno,
      password,
      payload,
      env: tap.envelope(CuentaTeamsCreada, payload, { correlationId: `wf-${randomUUID()}` }),
    };
  }

  /** Emails a new student and returns what reached their inbox. */
  async function emailDeUnAlumnoNuevo(over: Partial<AlumnoDatos> = {}) {
    const c = cuentaCreada(over);
    await tap.send(CuentaTeamsCreada, c.env);
    await waitFor(
      () => tap.envelopes(EmailEnviado, { alumnoId: c.alumnoId }).length === 1,
      `EmailEnviado for ${c.alumnoId}`,
    );
    const [mail] = await sandbox.inbox(c.alumno.emailInstitucional!);
    return { ...c, mail: mail! };
  }

  async function idle(): Promise<void> {
    const runtime = app.get(MessagingRuntime);
    await waitFor(
      async () => (await runtime.queueStatus()).every((q) => q.messages === 0 && q.inFlight === 0),
      'the queues to drain',
    );
  }

  it('emails with the template files until an operator sets one, then with the operator’s: values filled, escaped in the HTML only', async () => {
    expect((await emailDeUnAlumnoNuevo()).mail.Subject).toBe(ARCHIVOS);

    await fijarPlantilla(OPERADOR);
    const { mail, password, payload } = await emailDeUnAlumnoNuevo();
    expect(mail.Subject).toBe("Bienvenida Ana D'Angelo <b> a Física & Química");
    expect(mail.Text.trim()).toBe(
      `Hola Ana D'Angelo <b>\nUsuario: ${payload.upn}\nClave: ${password}\nMoodle: https://moodle.unrc.test/?a=1&b=2`,
    );
    expect(mail.HTML).toContain('<h1>Hola Ana D&#x27;Angelo &lt;b&gt;</h1>');
    expect(mail.HTML).toContain(`<code>${payload.upn}</code>`);
    expect(mail.HTML).toContain(`<b>${password.replace('&', '&amp;').replace('<', '&lt;')}</b>`);
    expect(mail.HTML).toContain('<a href="https://moodle.unrc.test/?a&#x3D;1&amp;b&#x3D;2">');
    expect((await configuracionEnSalud()).rechazadas).toEqual({});
  });

  it('refuses a template that names an unknown variable or does not compile, says why in /health/ready, and keeps emailing with the previous one', async () => {
    await fijarPlantilla({ ...OPERADOR, asunto: 'Hola {apodo}' });
    expect(await configuracionEnSalud()).toMatchObject({
      version,
      rechazadas: { plantillaEmail: expect.stringMatching(/^plantillaEmail\.asunto is invalid: .*apodo/) },
    });
    expect((await emailDeUnAlumnoNuevo()).mail.Subject).toBe("Bienvenida Ana D'Angelo <b> a Física & Química");

    await fijarPlantilla({ ...OPERADOR, html: '<p>{{#if nombre}}sin cerrar</p>' });
    expect(await configuracionEnSalud()).toMatchObject({
      version,
      rechazadas: { plantillaEmail: expect.stringMatching(/^plantillaEmail\.html is invalid: /) },
    });
    const { mail } = await emailDeUnAlumnoNuevo();
    expect(mail.Subject).toBe("Bienvenida Ana D'Angelo <b> a Física & Química");
    expect(mail.HTML).toContain('<h1>Hola Ana D&#x27;Angelo &lt;b&gt;</h1>');

    // One the gateway would have refused, arriving anyway: a welcome email with no password in it.
    await fijarPlantilla({ ...OPERADOR, texto: 'Hola {nombre}, tu usuario es {upn}' });
    expect(await configuracionEnSalud()).toMatchObject({
      version,
      rechazadas: {
        plantillaEmail: expect.stringMatching(/^plantillaEmail\.texto is invalid: .*missing \{password\}/),
      },
    });
    expect((await emailDeUnAlumnoNuevo()).mail.Text).toContain('Clave: ');
  });

  it('sends no second email to a student already emailed when the template changes; the next credential gets the new one', async () => {
    const primero = await emailDeUnAlumnoNuevo();
    expect(primero.mail.Subject).toBe("Bienvenida Ana D'Angelo <b> a Física & Química");

    await fijarPlantilla(OTRA);
    expect((await configuracionEnSalud()).rechazadas).toEqual({});
    // CuentaTeamsCreada again: the same message redelivered, and the same credential announced in a new one.
    await tap.send(CuentaTeamsCreada, primero.env);
    await tap.send(CuentaTeamsCreada, { ...primero.env, messageId: randomUUID() } as Envelope);
    await waitFor(
      () => tap.envelopes(EmailEnviado, { alumnoId: primero.alumnoId }).length === 2,
      'EmailEnviado repeated from the row',
    );
    await idle();
    const inbox = await sandbox.inbox(primero.alumno.emailInstitucional!);
    expect(inbox.map((m) => m.Subject)).toEqual(["Bienvenida Ana D'Angelo <b> a Física & Química"]);
    const [a, b] = tap.envelopes(EmailEnviado, { alumnoId: primero.alumnoId });
    expect(b!.payload).toEqual(a!.payload);

    // A reset issues a new credential version: a new email, with the template in force now.
    const password = `Tmp-${randomBytes(6).toString('base64url')}`;
    const { existente: _e, ...cuenta } = primero.payload;
    await tap.send(
      PasswordRestablecida,
      tap.envelope(PasswordRestablecida, {
        ...cuenta,
        credencial: box.seal(password, primero.alumnoId),
        credencialVersion: 2,
      }),
    );
    await waitFor(
      () => tap.envelopes(EmailEnviado, { alumnoId: primero.alumnoId, credencialVersion: 2 }).length === 1,
      'EmailEnviado for credential version 2',
    );
    const [nuevo] = await sandbox.inbox(primero.alumno.emailInstitucional!);
    expect(nuevo!.Subject).toBe('Tus credenciales, Ana');
    expect(nuevo!.Text.trim()).toBe(`${primero.payload.upn} / ${password}`);
  });

  it('goes back to the template files when an operator sets it to null', async () => {
    await fijarPlantilla(null);
    expect(await configuracionEnSalud()).toMatchObject({ version, rechazadas: {} });
    const { mail, password } = await emailDeUnAlumnoNuevo();
    expect(mail.Subject).toBe(ARCHIVOS);
    expect(mail.Text).toContain("Hola Ana D'Angelo <b>:");
    expect(mail.Text).toContain(password);
  });
});
