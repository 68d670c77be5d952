// mail-service in-process against the real RabbitMQ and PostgreSQL and the sandbox's SMTP stand-in:
// the credentials email goes out once per credential version, its outcome reaches the broker, and the
// password stays out of the database and the logs.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  AvisoRetornoEnviado,
  AvisoRetornoFallido,
  CuentaTeamsCreada,
  EmailEnviado,
  EmailFallido,
  EnviarAvisoRetorno,
  PasswordRestablecida,
  type AlumnoDatos,
  type Envelope,
  type MessageDefinition,
  type Payload,
} from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { bootstrapService, loadConfig, parseSecretKeys, SecretBox } from '@lucy/platform';
import {
  BrokerTap,
  deleteServiceQueues,
  dropSchema,
  startTestSandbox,
  throwawayNames,
  waitFor,
  type TestSandbox,
} from '@lucy/testing';
import { controlQueueOf } from '@lucy/resilience';
import { mailConfigSchema } from '../src/config.js';
import { MailModule } from '../src/mail.module.js';
import { forgetRateState, TEST_REDIS_URL } from './support/rate-state.js';

const { suffix, schema, service } = throwawayNames('mail');
const RETRY_DELAYS = [100, 200];
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const box = new SecretBox(parseSecretKeys(KEYS));

describe('mail-service: the credentials email', () => {
  let sandbox: TestSandbox;
  let app: INestApplication;
  let db: pg.Client;
  let tap: BrokerTap;
  const logLines: string[] = [];
  const passwords: string[] = [];
  const realStdoutWrite = process.stdout.write;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ graph: false });
    // Every log line of the process: the service's (Nest/pino destination below) and the transport's
    // (pino on stdout, which it writes through process.stdout.write once that is replaced).
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logLines.push(String(chunk));
      return (realStdoutWrite as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    }) as typeof process.stdout.write;
    const config = loadConfig(mailConfigSchema, {
      ...process.env,
      SERVICE_NAME: service,
      DB_SCHEMA: schema,
      SMTP_HOST: sandbox.smtp.host,
      SMTP_PORT: String(sandbox.smtp.port),
      MAIL_FROM: 'Facultad de Ciencias Exactas - UNRC <no-responder@exa.unrc.test>',
      CREDENTIALS_KEY: KEYS,
      RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
      LOG_LEVEL: 'debug',
      // The relay's rate and breaker are smtp-protection.int.spec.ts's subject; here they stay out of the way.
      REDIS_URL: TEST_REDIS_URL,
      SMTP_RPM: '6000',
      SMTP_BREAKER_VOLUME_THRESHOLD: '1000',
    });
    app = await bootstrapService({
      module: MailModule,
      config,
      port: 0,
      logging: { destination: new Writable({ write: (c, _e, done) => (logLines.push(String(c)), done()) }) },
    });
    db = new pg.Client({ connectionString: config.DATABASE_URL });
    await db.connect();
    tap = await BrokerTap.open([EmailEnviado, EmailFallido, AvisoRetornoEnviado, AvisoRetornoFallido], {
      url: config.RABBITMQ_URL,
    });
  });

  afterAll(async () => {
    await app?.close();
    process.stdout.write = realStdoutWrite;
    await tap?.close();
    await deleteServiceQueues(service, RETRY_DELAYS);
    await deleteServiceQueues(controlQueueOf(service), RETRY_DELAYS);
    await forgetRateState();
    if (db) await dropSchema(db, schema);
    await db?.end();
    await sandbox?.close();
  });

  function alumno(over: Partial<AlumnoDatos> = {}): AlumnoDatos {
    return {
      dni: String(30_000_000 + Math.floor(Math.random() * 9_000_000)),
      nombre: 'Ana',
      apellido: "D'Angelo",
      emailPersonal: 'ana.personal@example.com',
      emailInstitucional: `ana.${randomBytes(3).toString('hex')}@unrc.test`,
      carrera: 'Licenciatura en Física',
      estado: 'ingresante',
      periodo: '2027',
      ...over,
    };
  }

  /** A fresh temporary password, sealed the way teams-service seals it. */
  function credencial(alumnoId: string) {
    const password = `Tmp-${randomBytes(6).toString('base64url')}&<9`;
    passwords.push(password);
    return { password, sealed: box.seal(password, alumnoId) };
  }

  function cuentaCreada(
    alumnoId: string,
    datos: AlumnoDatos,
    sealed: ReturnType<SecretBox['seal']>,
    credencialVersion = 1,
  ): CuentaTeamsCreada {
    return {
      alumnoId,
      upn: `a${datos.dni}@estudiantes.unrc.test`,
      graphUserId: randomUUID(),
      existente: false,
      credencial: sealed,
      credencialVersion,
      alumno: datos,
    };
  }

  /** A workflow's first message, as the gateway's saga would correlate it. */
  const envelope = <D extends MessageDefinition>(def: D, payload: Payload<D>) =>
    tap.envelope(def, payload, { correlationId: `wf-${randomUUID()}` });
  const publish = (def: MessageDefinition, env: Envelope) => tap.send(def, env);

  const eventosDe = <D extends MessageDefinition>(def: D, alumnoId: string) => tap.envelopes(def, { alumnoId });

  async function idle(): Promise<void> {
    const runtime = app.get(MessagingRuntime);
    await waitFor(
      async () => (await runtime.queueStatus()).every((q) => q.messages === 0 && q.inFlight === 0),
      'the queue to drain',
    );
  }

  const fila = async (alumnoId: string, credencialVersion = 1) =>
    (
      await db.query(`SELECT * FROM "${schema}".envio WHERE alumno_id = $1 AND credencial_version = $2`, [
        alumnoId,
        credencialVersion,
      ])
    ).rows[0];

  it('emails the credentials of a new account once, with the password, and reports EmailEnviado', async () => {
    const alumnoId = randomUUID();
    const datos = alumno();
    const { password, sealed } = credencial(alumnoId);
    const env = envelope(CuentaTeamsCreada, cuentaCreada(alumnoId, datos, sealed));
    await publish(CuentaTeamsCreada, env);

    const [enviado] = await waitFor(
      () => eventosDe(EmailEnviado, alumnoId).length > 0 && eventosDe(EmailEnviado, alumnoId),
      'EmailEnviado',
    );
    expect(enviado.payload).toEqual({
      alumnoId,
      plantilla: 'bienvenida',
      credencialVersion: 1,
      destinatario: datos.emailInstitucional,
      smtpMessageId: expect.stringMatching(/^<[0-9a-f-]{36}@exa\.unrc\.test>$/),
    });
    expect(enviado.correlationId).toBe(env.correlationId);
    expect(enviado.causationId).toBe(env.messageId);

    const inbox = await sandbox.inbox(datos.emailInstitucional!);
    expect(inbox).toHaveLength(1);
    const [mail] = inbox;
    expect(mail.Subject).toBe('Ana, tu cuenta de Microsoft 365 de la UNRC está lista');
    expect(mail.Text).toContain(password);
    expect(mail.Text).toContain(`a${datos.dni}@estudiantes.unrc.test`);
    expect(mail.Text).toContain("Hola Ana D'Angelo:");
    expect(mail.HTML).toContain(password.replace('&', '&amp;').replace('<', '&lt;'));
    expect(mail.HTML).toContain('D&#x27;Angelo');
    expect(`<${mail.MessageID.replace(/^<|>$/g, '')}>`).toBe(enviado.payload.smtpMessageId);

    expect(await fila(alumnoId)).toMatchObject({
      estado: 'enviado',
      destinatario: datos.emailInstitucional,
      intentos: 1,
      respuesta_smtp: expect.stringMatching(/^250 /),
    });
  });

  it('sends nothing more on a duplicate delivery, or on the same credential announced again', async () => {
    const alumnoId = randomUUID();
    const datos = alumno();
    const { sealed } = credencial(alumnoId);
    const env = envelope(CuentaTeamsCreada, cuentaCreada(alumnoId, datos, sealed));
    await publish(CuentaTeamsCreada, env);
    await waitFor(() => eventosDe(EmailEnviado, alumnoId).length === 1, 'the first EmailEnviado');

    await publish(CuentaTeamsCreada, env); // the very same message again (the inbox drops it)
    await publish(CuentaTeamsCreada, { ...env, messageId: randomUUID() }); // the same credential, another message
    await waitFor(() => eventosDe(EmailEnviado, alumnoId).length === 2, 'EmailEnviado repeated for the second message');
    await idle();

    expect(await sandbox.inbox(datos.emailInstitucional!)).toHaveLength(1);
    const [primero, segundo] = eventosDe(EmailEnviado, alumnoId);
    expect(segundo.payload).toEqual(primero.payload);
    expect(eventosDe(EmailEnviado, alumnoId)).toHaveLength(2);
  });

  it('emails the new credentials when the password is reset (credencialVersion 2)', async () => {
    const alumnoId = randomUUID();
    const datos = alumno({ emailInstitucional: null });
    const primera = credencial(alumnoId);
    const creada = cuentaCreada(alumnoId, datos, primera.sealed);
    await publish(CuentaTeamsCreada, envelope(CuentaTeamsCreada, creada));
    await waitFor(() => eventosDe(EmailEnviado, alumnoId).length === 1, 'EmailEnviado for version 1');

    const segunda = credencial(alumnoId);
    const { existente: _e, ...cuenta } = creada;
    await publish(
      PasswordRestablecida,
      envelope(PasswordRestablecida, { ...cuenta, credencial: segunda.sealed, credencialVersion: 2 }),
    );
    const enviados = await waitFor(
      () => eventosDe(EmailEnviado, alumnoId).length === 2 && eventosDe(EmailEnviado, alumnoId),
      'EmailEnviado for version 2',
    );
    expect(enviados[1].payload).toMatchObject({ credencialVersion: 2, destinatario: datos.emailPersonal });

    const inbox = await sandbox.inbox(datos.emailPersonal!);
    expect(inbox).toHaveLength(2);
    expect(inbox[0].Text).toContain(segunda.password);
    expect(inbox[1].Text).toContain(primera.password);
  });

  it('emails a returning student once per return: their UPN, no password; a redelivery or a retried step sends nothing more', async () => {
    const alumnoId = randomUUID();
    const datos = alumno();
    const upn = `a${datos.dni}@estudiantes.unrc.test`;
    const comando: EnviarAvisoRetorno = { alumnoId, upn, alumno: datos, retorno: 1 };
    const env = envelope(EnviarAvisoRetorno, comando);
    await publish(EnviarAvisoRetorno, env);
    const [enviado] = await waitFor(
      () => eventosDe(AvisoRetornoEnviado, alumnoId).length > 0 && eventosDe(AvisoRetornoEnviado, alumnoId),
      'AvisoRetornoEnviado',
    );
    expect(enviado.payload).toEqual({
      alumnoId,
      retorno: 1,
      destinatario: datos.emailInstitucional,
      smtpMessageId: expect.stringMatching(/^<[0-9a-f-]{36}@exa\.unrc\.test>$/),
    });
    expect(enviado.causationId).toBe(env.messageId);

    await publish(EnviarAvisoRetorno, env); // the same message again (the inbox drops it)
    await publish(EnviarAvisoRetorno, { ...env, messageId: randomUUID() }); // the step sent again (a retry)
    await waitFor(() => eventosDe(AvisoRetornoEnviado, alumnoId).length === 2, 'AvisoRetornoEnviado repeated');
    await idle();
    expect(eventosDe(AvisoRetornoEnviado, alumnoId)[1].payload).toEqual(enviado.payload);
    expect(eventosDe(EmailEnviado, alumnoId)).toEqual([]);

    const inbox = await sandbox.inbox(datos.emailInstitucional!);
    expect(inbox).toHaveLength(1);
    const [mail] = inbox;
    expect(mail.Subject).toBe('Ana, tu cuenta de Microsoft 365 de la UNRC está activa de nuevo');
    for (const cuerpo of [mail.Text, mail.HTML]) {
      expect(cuerpo).toContain(upn);
      expect(cuerpo).not.toMatch(/contraseña temporal/i);
    }
    expect(mail.Text).toContain('la que ya tenías');
    expect(await fila(alumnoId)).toMatchObject({ plantilla: 'retorno', estado: 'enviado', intentos: 1 });

    // A later return is another email.
    await publish(EnviarAvisoRetorno, envelope(EnviarAvisoRetorno, { ...comando, retorno: 2 }));
    await waitFor(
      () => eventosDe(AvisoRetornoEnviado, alumnoId).some((e) => e.payload.retorno === 2),
      'AvisoRetornoEnviado for the second return',
    );
    expect(await sandbox.inbox(datos.emailInstitucional!)).toHaveLength(2);
  });

  it('reports a return email the server rejects as AvisoRetornoFallido permanente', async () => {
    const alumnoId = randomUUID();
    const datos = alumno({ emailInstitucional: `nadie.${suffix}@rechazado.example` });
    const comando = { alumnoId, upn: `a${datos.dni}@estudiantes.unrc.test`, alumno: datos, retorno: 1 };
    await publish(EnviarAvisoRetorno, envelope(EnviarAvisoRetorno, comando));
    const [fallido] = await waitFor(
      () => eventosDe(AvisoRetornoFallido, alumnoId).length > 0 && eventosDe(AvisoRetornoFallido, alumnoId),
      'AvisoRetornoFallido',
    );
    expect(fallido.payload).toMatchObject({ alumnoId, retorno: 1, permanente: true, codigo: 'SMTP_550' });
  });

  it('reports a recipient the server rejects (5xx) as EmailFallido permanente, without retrying', async () => {
    const alumnoId = randomUUID();
    const datos = alumno({ emailInstitucional: `nadie.${suffix}@rechazado.example` });
    await publish(
      CuentaTeamsCreada,
      envelope(CuentaTeamsCreada, cuentaCreada(alumnoId, datos, credencial(alumnoId).sealed)),
    );

    const [fallido] = await waitFor(
      () => eventosDe(EmailFallido, alumnoId).length > 0 && eventosDe(EmailFallido, alumnoId),
      'EmailFallido',
    );
    expect(fallido.payload).toMatchObject({
      alumnoId,
      plantilla: 'bienvenida',
      credencialVersion: 1,
      permanente: true,
      codigo: 'SMTP_550',
    });
    expect(String(fallido.payload.motivo)).toContain('5.1.1');
    expect(await fila(alumnoId)).toMatchObject({ estado: 'fallido', permanente: true, intentos: 1 });
    expect(await sandbox.inbox(datos.emailInstitucional!)).toHaveLength(0);
  });

  it('retries a temporary refusal (4xx) and, on the last attempt, reports EmailFallido not permanent', async () => {
    const alumnoId = randomUUID();
    const datos = alumno({ emailInstitucional: `ana.${suffix}@temporal.example` });
    await publish(
      CuentaTeamsCreada,
      envelope(CuentaTeamsCreada, cuentaCreada(alumnoId, datos, credencial(alumnoId).sealed)),
    );

    const [fallido] = await waitFor(
      () => eventosDe(EmailFallido, alumnoId).length > 0 && eventosDe(EmailFallido, alumnoId),
      'EmailFallido after the retries',
    );
    expect(fallido.payload).toMatchObject({ permanente: false, codigo: 'SMTP_451' });
    expect(await fila(alumnoId)).toMatchObject({
      estado: 'fallido',
      permanente: false,
      intentos: RETRY_DELAYS.length + 1,
    });
  });

  it('does not send again when the connection drops mid-transfer: the outcome is reported uncertain', async () => {
    const alumnoId = randomUUID();
    const datos = alumno({ emailInstitucional: `ana.${suffix}@cortado.example` });
    await publish(
      CuentaTeamsCreada,
      envelope(CuentaTeamsCreada, cuentaCreada(alumnoId, datos, credencial(alumnoId).sealed)),
    );

    const [fallido] = await waitFor(
      () => eventosDe(EmailFallido, alumnoId).length > 0 && eventosDe(EmailFallido, alumnoId),
      'EmailFallido (uncertain)',
    );
    expect(fallido.payload).toMatchObject({ permanente: false, codigo: 'ENVIO_INCIERTO' });
    expect(await fila(alumnoId)).toMatchObject({ estado: 'incierto', intentos: 1 });
  });

  it('declares uncertain, and does not resend, a send a crashed try left in "enviando"', async () => {
    const alumnoId = randomUUID();
    const datos = alumno();
    await db.query(
      `INSERT INTO "${schema}".envio (id, alumno_id, plantilla, credencial_version, destinatario, estado, message_id, intentos, correlation_id)
       VALUES ($1, $2, 'bienvenida', 1, $3, 'enviando', $4, 1, 'wf-crashed')`,
      [randomUUID(), alumnoId, datos.emailInstitucional, `<crashed-${suffix}@exa.unrc.test>`],
    );
    await publish(
      CuentaTeamsCreada,
      envelope(CuentaTeamsCreada, cuentaCreada(alumnoId, datos, credencial(alumnoId).sealed)),
    );

    const [fallido] = await waitFor(
      () => eventosDe(EmailFallido, alumnoId).length > 0 && eventosDe(EmailFallido, alumnoId),
      'EmailFallido (uncertain)',
    );
    expect(fallido.payload).toMatchObject({ permanente: false, codigo: 'ENVIO_INCIERTO' });
    expect(String(fallido.payload.motivo)).toContain(`<crashed-${suffix}@exa.unrc.test>`);
    expect(await fila(alumnoId)).toMatchObject({ estado: 'incierto' });
    expect(await sandbox.inbox(datos.emailInstitucional!)).toHaveLength(0);
  });

  it('keeps every password out of the database rows of its schema and out of every log line', async () => {
    await idle();
    expect(passwords.length).toBeGreaterThan(5);
    const { rows: tables } = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
      [schema],
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual([
      'configuracion_aplicada',
      'envio',
      'inbox',
      'migrations',
      'outbox',
    ]);
    const dump: string[] = [];
    for (const { table_name } of tables) {
      const { rows } = await db.query(`SELECT row_to_json(t)::text AS j FROM "${schema}"."${table_name}" t`);
      dump.push(...rows.map((r) => r.j as string));
    }
    expect(dump.some((j) => j.includes('"estado":"enviado"'))).toBe(true);
    expect(dump.some((j) => j.includes('email.enviado'))).toBe(true); // the outbox is in the dump
    // The transport's own lines are in the capture too (a retry was logged), so the check covers them.
    expect(logLines.some((l) => l.includes('message failed; will retry'))).toBe(true);
    expect(logLines.some((l) => l.includes('email accepted by the SMTP server'))).toBe(true);
    const metrics = await (await fetch(`${await app.getUrl()}/metrics`)).text();
    expect(metrics).toMatch(
      /lucy_mail_envios_total\{plantilla="bienvenida",resultado="enviado",service="[^"]+"\} [1-9]/,
    );
    for (const password of passwords) {
      for (const form of [password, password.replace('&', '&amp;').replace('<', '&lt;')]) {
        expect(dump.filter((j) => j.includes(form))).toEqual([]);
        expect(logLines.filter((l) => l.includes(form))).toEqual([]);
      }
    }
  });

  it('refuses to start with a malformed variable, naming it, and exits 1', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', 'apps/mail-service/src/main.ts'],
      {
        env: {
          ...process.env,
          SMTP_PORT: 'veinticinco',
          MAIL_FROM: 'nadie',
          SMTP_HOST: 'smtp.unrc.edu.ar',
          CREDENTIALS_KEY: '',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(1);
    const line = JSON.parse(run.stderr.trim().split('\n').at(-1)!);
    expect(line).toMatchObject({ level: 'fatal', service: 'mail-service' });
    expect(line.msg).toContain('SMTP_PORT: must be a port number');
    expect(line.msg).toContain('MAIL_FROM: must be an address');
  });
});
