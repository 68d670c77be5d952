// mail-service in-process against the real RabbitMQ and PostgreSQL and the sandbox's SMTP stand-in: an
// operators' alert (EnviarAlerta) goes out once to every recipient — the same message delivered again, or
// the alert published again under a new message id, sends nothing more — with the built-in or the
// operator's template; a template that does not render answers AlertaFallida and sends nothing.
import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { AlertaEnviada, AlertaFallida, EnviarAlerta, type EnviarAlerta as Alerta } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { bootstrapService, loadConfig } from '@lucy/platform';
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

const { schema, service } = throwawayNames('mailalerta');
const RETRY_DELAYS = [100, 200];

describe('mail-service: the operators alert', () => {
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
      MAIL_FROM: 'Lucy <no-responder@exa.unrc.test>',
      RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
      LOG_LEVEL: 'warn',
      REDIS_URL: TEST_REDIS_URL,
      SMTP_RPM: '6000',
      SMTP_BREAKER_VOLUME_THRESHOLD: '1000',
    });
    app = await bootstrapService({ module: MailModule, config, port: 0 });
    db = new pg.Client({ connectionString: config.DATABASE_URL });
    await db.connect();
    tap = await BrokerTap.open([AlertaEnviada, AlertaFallida], { url: config.RABBITMQ_URL });
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

  const direccion = (quien: string) => `${quien}.${randomBytes(3).toString('hex')}@unrc.test`;
  const alerta = (over: Partial<Alerta> = {}): Alerta => ({
    alertaId: randomUUID(),
    tipo: 'trabajo_fallido',
    destinatarios: [direccion('ops')],
    plantilla: null,
    datos: {
      titulo: 'Falló el trabajo sial (programada)',
      trabajo: 'sial',
      ejecucionId: randomUUID(),
      motivo: 'SIAL respondió 503',
      ocurridaAt: '2026-03-02T05:00:00.000Z',
    },
    ...over,
  });

  async function idle(): Promise<void> {
    const runtime = app.get(MessagingRuntime);
    await waitFor(
      async () => (await runtime.queueStatus()).every((q) => q.messages === 0 && q.inFlight === 0),
      'the queue to drain',
    );
  }

  it('emails every recipient once with the built-in template; a redelivery or a republish sends nothing more', async () => {
    const a = alerta({ destinatarios: [direccion('ana'), direccion('beto')] });
    const env = tap.envelope(EnviarAlerta, a);
    await tap.send(EnviarAlerta, env);
    const [enviada] = await waitFor(() => {
      const e = tap.of(AlertaEnviada, { alertaId: a.alertaId });
      return e.length ? e : undefined;
    }, 'AlertaEnviada');
    expect(enviada).toEqual({
      alertaId: a.alertaId,
      destinatario: a.destinatarios.join(', '),
      smtpMessageId: expect.stringMatching(/^<[0-9a-f-]{36}@exa\.unrc\.test>$/),
    });
    for (const d of a.destinatarios) {
      const inbox = await sandbox.inbox(d);
      expect(inbox).toHaveLength(1);
      expect(inbox[0].Subject).toBe('[Lucy] Falló el trabajo sial (programada)');
      expect(inbox[0].Text).toContain('Trabajo: sial');
      expect(inbox[0].Text).toContain(`Ejecución: ${a.datos.ejecucionId}`);
      expect(inbox[0].Text).toContain('Motivo: SIAL respondió 503');
      expect(inbox[0].Text).not.toContain('Reconciliación:');
    }

    await tap.send(EnviarAlerta, env); // the very same message again (the inbox drops it)
    await tap.send(EnviarAlerta, tap.envelope(EnviarAlerta, a)); // the alert again, a new message id
    await waitFor(() => tap.of(AlertaEnviada, { alertaId: a.alertaId }).length === 2, 'the outcome repeated');
    await idle();
    for (const d of a.destinatarios) expect(await sandbox.inbox(d)).toHaveLength(1);
    const filas = (await db.query(`SELECT * FROM "${schema}".envio WHERE alumno_id = $1`, [a.alertaId])).rows;
    expect(filas).toEqual([
      expect.objectContaining({
        plantilla: 'alerta',
        estado: 'enviado',
        intentos: 1,
        destinatario: enviada!.destinatario,
      }),
    ]);
  });

  it("uses the operator's template, either placeholder syntax, the drift by kind in {{detalle}}", async () => {
    const a = alerta({
      tipo: 'deriva',
      plantilla: {
        asunto: 'ALERTA {tipo}: {{diferencias}} > {umbral}',
        cuerpo: 'Revisar {{reconciliacionId}}\n{{detalle}}',
      },
      datos: {
        titulo: 'La reconciliación encontró 12 diferencias (umbral 10)',
        reconciliacionId: randomUUID(),
        diferencias: 12,
        umbral: 10,
        porTipo: { faltante: 9, huerfano: 3 },
        ocurridaAt: '2026-03-02T06:00:00.000Z',
      },
    });
    await tap.send(EnviarAlerta, tap.envelope(EnviarAlerta, a));
    await waitFor(() => tap.of(AlertaEnviada, { alertaId: a.alertaId }).length === 1, 'AlertaEnviada');
    const [mail] = await sandbox.inbox(a.destinatarios[0]!);
    expect(mail!.Subject).toBe('ALERTA deriva: 12 > 10');
    expect(mail!.Text.trim()).toBe(`Revisar ${a.datos.reconciliacionId}\n  faltante: 9\n  huerfano: 3`);
  });

  it('a template that does not render answers AlertaFallida (permanent) and sends nothing', async () => {
    const a = alerta({ plantilla: { asunto: 'x', cuerpo: 'Hola {{alumno}}' } });
    await tap.send(EnviarAlerta, tap.envelope(EnviarAlerta, a));
    const [fallida] = await waitFor(() => {
      const f = tap.of(AlertaFallida, { alertaId: a.alertaId });
      return f.length ? f : undefined;
    }, 'AlertaFallida');
    expect(fallida).toMatchObject({ alertaId: a.alertaId, permanente: true, codigo: 'PLANTILLA_INVALIDA' });
    expect(await sandbox.inbox(a.destinatarios[0]!)).toHaveLength(0);
  });
});
