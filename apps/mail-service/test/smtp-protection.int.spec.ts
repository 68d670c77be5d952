// mail-service's sends behind libs/resilience, against the real RabbitMQ, PostgreSQL and Redis and the
// sandbox's SMTP stand-in: a relay that refuses connections opens the breaker and the emails wait in the
// paused queue (nothing parked, no failure reported, no outcome left uncertain), then all go out once;
// a 5xx to one address is that student's and never opens it.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { BreakerCambiado, CuentaTeamsCreada, EmailEnviado, EmailFallido, type AlumnoDatos } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { bootstrapService, loadConfig, parseSecretKeys, SecretBox } from '@lucy/platform';
import { controlQueueOf, guardToken, type DependencyGuard } from '@lucy/resilience';
import {
  BrokerTap,
  deleteServiceQueues,
  dropSchema,
  startTestSandbox,
  throwawayNames,
  waitFor,
  type TestSandbox,
} from '@lucy/testing';
import { mailConfigSchema } from '../src/config.js';
import { MailModule } from '../src/mail.module.js';
import { forgetRateState, TEST_REDIS_URL } from './support/rate-state.js';

const { suffix, schema, service } = throwawayNames('mail-breaker');
const RETRY_DELAYS = [100, 200];
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const box = new SecretBox(parseSecretKeys(KEYS));

describe('mail-service protecting the SMTP relay', () => {
  let sandbox: TestSandbox;
  let app: INestApplication;
  let db: pg.Client;
  let tap: BrokerTap;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ graph: false });
    const config = loadConfig(mailConfigSchema, {
      ...process.env,
      SERVICE_NAME: service,
      DB_SCHEMA: schema,
      SMTP_HOST: sandbox.smtp.host,
      SMTP_PORT: String(sandbox.smtp.port),
      CREDENTIALS_KEY: KEYS,
      RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
      LOG_LEVEL: 'warn',
      REDIS_URL: TEST_REDIS_URL,
      SMTP_RPM: '6000',
      SMTP_BREAKER_VOLUME_THRESHOLD: '3',
      SMTP_BREAKER_RESET_TIMEOUT_MS: '1000',
      SMTP_BREAKER_ROLLING_COUNT_TIMEOUT_MS: '2000',
    });
    app = await bootstrapService({
      module: MailModule,
      config,
      port: 0,
      logging: { destination: new Writable({ write: (_c, _e, done) => done() }) },
    });
    db = new pg.Client({ connectionString: config.DATABASE_URL });
    await db.connect();
    tap = await BrokerTap.open([EmailEnviado, EmailFallido, BreakerCambiado], { url: config.RABBITMQ_URL });
  });

  afterAll(async () => {
    await app?.close();
    await tap?.close();
    await deleteServiceQueues(service, RETRY_DELAYS);
    await deleteServiceQueues(controlQueueOf(service), RETRY_DELAYS);
    await forgetRateState();
    if (db) await dropSchema(db, schema);
    await db?.end();
    await sandbox?.close();
  });

  afterEach(() => sandbox.ctx.faults.reset());

  const guard = () => app.get<DependencyGuard>(guardToken('smtp'));
  const queue = async () => (await app.get(MessagingRuntime).queueStatus()).find((q) => q.queue === service)!;
  const estados = () =>
    tap.messages
      .map((m) => m.env)
      .filter((e) => e.type === BreakerCambiado.name && (e.payload as BreakerCambiado).servicio === service)
      .map((e) => (e.payload as BreakerCambiado).estado);

  function cuentaCreada(emailInstitucional: string) {
    const alumnoId = randomUUID();
    const alumno: AlumnoDatos = {
      dni: String(30_000_000 + Math.floor(Math.random() * 9_000_000)),
      nombre: 'Ana',
      apellido: 'Prueba',
      emailPersonal: null,
      emailInstitucional,
      carrera: 'Física',
      estado: 'ingresante',
      periodo: '2027',
    };
    const payload: CuentaTeamsCreada = {
      alumnoId,
      upn: `a${alumno.dni}@estudiantes.unrc.test`,
      graphUserId: randomUUID(),
      existente: false,
      credencial: box.seal(`Tmp-${randomBytes(6).toString('base64url')}`, alumnoId),
      credencialVersion: 1,
      alumno,
    };
    return { alumnoId, env: tap.envelope(CuentaTeamsCreada, payload, { correlationId: `wf-${randomUUID()}` }) };
  }

  it('holds every email in the paused queue while the relay is down and sends each once when it is back', async () => {
    await waitFor(() => guard().describe().window.fires === 0, 'a quiet breaker window', { timeoutMs: 5_000 });
    sandbox.ctx.faults.set('smtp', { downUntil: Date.now() + 3_600_000 });
    const sent = Array.from({ length: 5 }, (_, i) => cuentaCreada(`ana${i}.${suffix}@unrc.test`));
    for (const s of sent) await tap.send(CuentaTeamsCreada, s.env);

    await waitFor(() => guard().state === 'open', 'the SMTP breaker to open', { timeoutMs: 15_000 });
    await waitFor(async () => (await queue()).paused, 'the queue to be paused', { timeoutMs: 5_000 });
    await waitFor(() => estados().filter((e) => e === 'half-open').length >= 2, 'two failed probes', {
      timeoutMs: 10_000,
    });
    for (const s of sent) expect(tap.envelopes(EmailFallido, { alumnoId: s.alumnoId })).toHaveLength(0);

    sandbox.ctx.faults.reset('smtp');
    for (const s of sent)
      await waitFor(
        () => tap.envelopes(EmailEnviado, { alumnoId: s.alumnoId }).length === 1,
        `EmailEnviado for ${s.alumnoId}`,
        { timeoutMs: 30_000 },
      );
    for (let i = 0; i < sent.length; i++) expect(await sandbox.inbox(`ana${i}.${suffix}@unrc.test`)).toHaveLength(1);
    const rows = (await db.query(`SELECT estado FROM "${schema}".envio`)).rows.map((r) => r.estado);
    expect(rows).toEqual(sent.map(() => 'enviado'));
    expect(await queue()).toMatchObject({ paused: false, parked: 0 });
    expect(estados()).toEqual(expect.arrayContaining(['open', 'half-open', 'closed']));
  }, 90_000);

  it('keeps the breaker closed when addresses are rejected for good (5xx to RCPT TO)', async () => {
    await waitFor(() => guard().describe().window.fires === 0, 'a quiet breaker window', { timeoutMs: 5_000 });
    const sent = Array.from({ length: 6 }, (_, i) => cuentaCreada(`nadie${i}.${suffix}@rechazado.example`));
    for (const s of sent) await tap.send(CuentaTeamsCreada, s.env);
    for (const s of sent) {
      const [f] = await waitFor(
        () =>
          tap.envelopes(EmailFallido, { alumnoId: s.alumnoId }).length > 0 &&
          tap.envelopes(EmailFallido, { alumnoId: s.alumnoId }),
        'EmailFallido',
      );
      expect(f.payload).toMatchObject({ permanente: true, codigo: 'SMTP_550' });
    }
    expect(guard().state).toBe('closed');
    expect(guard().describe().window.failures).toBe(0);
  }, 60_000);
});
