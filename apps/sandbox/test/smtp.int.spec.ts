// The SMTP stand-in driven by nodemailer, as mail-service drives it: pooled, no TLS.
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { silentLogger } from '../src/log.js';
import { type RunningSandbox, startSandbox } from '../src/sandbox.js';

let sandbox: RunningSandbox;
let transport: Transporter;

beforeAll(async () => {
  sandbox = await startSandbox({ ephemeral: true, graph: false, log: silentLogger, env: {} });
});
beforeEach(async () => {
  await fetch(`${sandbox.urls.admin}/_admin/smtp/reset`, { method: 'POST' });
  await fetch(`${sandbox.urls.admin}/_admin/faults/reset`, { method: 'POST' });
  transport = nodemailer.createTransport({
    host: sandbox.smtp.host,
    port: sandbox.smtp.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 2,
  });
});
afterEach(() => transport.close());
afterAll(() => sandbox?.close());

const knobs = (k: Record<string, unknown>) =>
  fetch(`${sandbox.urls.admin}/_admin/smtp/knobs`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(k),
  });

const send = (to: string, extra: Partial<SendMailOptions> = {}) =>
  transport.sendMail({
    from: 'Lucy <no-reply@eco.unrc.edu.ar>',
    to,
    subject: 'Tu cuenta institucional',
    text: 'Hola Núñez, tu usuario es…',
    html: '<p>Hola <b>Núñez</b></p>',
    ...extra,
  });

describe('SMTP stand-in', () => {
  it('accepts messages from a pooled nodemailer transport and lists them newest first', async () => {
    await Promise.all([send('ana@estudiantes.unrc.edu.ar'), send('juan@estudiantes.unrc.edu.ar', { subject: 'Otro' })]);
    await send('ana@estudiantes.unrc.edu.ar', { subject: 'Último', cc: 'copia@eco.unrc.edu.ar' });
    const list = (await (await fetch(`${sandbox.urls.mailbox}/api/v1/messages`)).json()) as any;
    expect(list.total).toBe(3);
    expect(list.messages[0].Subject).toBe('Último');
    const toAna = (await (
      await fetch(`${sandbox.urls.mailbox}/api/v1/messages?to=ana@estudiantes.unrc.edu.ar`)
    ).json()) as any;
    expect(toAna.messages).toHaveLength(2);
    const full = (await (await fetch(`${sandbox.urls.mailbox}/api/v1/messages/${list.messages[0].ID}`)).json()) as any;
    expect(full).toMatchObject({
      From: { Name: 'Lucy', Address: 'no-reply@eco.unrc.edu.ar' },
      To: [{ Address: 'ana@estudiantes.unrc.edu.ar' }],
      Cc: [{ Address: 'copia@eco.unrc.edu.ar' }],
      Text: expect.stringContaining('Hola Núñez'),
      HTML: expect.stringContaining('<b>Núñez</b>'),
      Envelope: {
        MailFrom: 'no-reply@eco.unrc.edu.ar',
        RcptTo: ['ana@estudiantes.unrc.edu.ar', 'copia@eco.unrc.edu.ar'],
      },
    });
    expect(full.Size).toBeGreaterThan(100);
    // Headers are kept as received (RFC 2047 encoded), like Mailpit's headers view.
    expect(full.Headers.subject).toEqual(['=?UTF-8?Q?=C3=9Altimo?=']);
    const raw = await fetch(`${sandbox.urls.mailbox}/api/v1/message/${list.messages[0].ID}/raw`);
    expect(raw.headers.get('content-type')).toMatch(/message\/rfc822/);
    expect(await raw.text()).toContain('Subject:');
    await fetch(`${sandbox.urls.mailbox}/api/v1/messages`, { method: 'DELETE' });
    expect(((await (await fetch(`${sandbox.urls.mailbox}/api/v1/messages`)).json()) as any).total).toBe(0);
    expect(sandbox.ctx.counters.total('smtp', { endpoint: 'DATA', status: 250 })).toBeGreaterThanOrEqual(3);
  });

  it('rejects a recipient matching the reject pattern with a 550 nodemailer sees', async () => {
    await expect(send('nadie@rechazado.example')).rejects.toMatchObject({ responseCode: 550, code: 'EENVELOPE' });
    expect(sandbox.mailbox.size).toBe(0);
  });

  it('answers 451 for a temporarily failing recipient', async () => {
    await expect(send('alguien@temporal.example')).rejects.toMatchObject({ responseCode: 451 });
  });

  it('uses a configured pattern for rejections', async () => {
    await knobs({ rejectRecipients: ['*@bloqueado.example'] });
    await expect(send('x@bloqueado.example')).rejects.toMatchObject({ responseCode: 550 });
    await expect(send('x@rechazado.example')).resolves.toBeDefined();
  });

  it('drops the connection mid-transfer and nodemailer reports an error', async () => {
    await knobs({ dropNextMessages: 1 });
    await expect(send('ana@estudiantes.unrc.edu.ar')).rejects.toBeInstanceOf(Error);
    expect(sandbox.mailbox.size).toBe(0);
    // The next message goes through (the pool opens a new connection).
    await expect(send('ana@estudiantes.unrc.edu.ar')).resolves.toMatchObject({
      accepted: ['ana@estudiantes.unrc.edu.ar'],
    });
  });

  it('is slow on DATA when told to', async () => {
    await knobs({ dataDelayMs: 400 });
    const t0 = Date.now();
    await send('ana@estudiantes.unrc.edu.ar');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });

  it('answers 421 at connect while down, and 451 on a 5xx fault', async () => {
    await fetch(`${sandbox.urls.admin}/_admin/faults/smtp`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ downForMs: 60_000 }),
    });
    await expect(send('ana@estudiantes.unrc.edu.ar')).rejects.toMatchObject({ responseCode: 421 });
    await fetch(`${sandbox.urls.admin}/_admin/faults/smtp`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ downUntil: 0, errorRate: 1 }),
    });
    await expect(send('ana@estudiantes.unrc.edu.ar')).rejects.toMatchObject({ responseCode: 451 });
  });
});

describe('SMTP stand-in with AUTH', () => {
  let authed: RunningSandbox;
  beforeAll(async () => {
    authed = await startSandbox({
      ephemeral: true,
      graph: false,
      log: silentLogger,
      env: {},
      smtp: { user: 'lucy', password: 's3cret' },
    });
  });
  afterAll(() => authed?.close());

  it('requires the configured credentials (PLAIN/LOGIN)', async () => {
    const ok = nodemailer.createTransport({
      host: authed.smtp.host,
      port: authed.smtp.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: 'lucy', pass: 's3cret' },
    });
    await expect(ok.sendMail({ from: 'a@b.c', to: 'x@y.z', text: 'hi' })).resolves.toBeDefined();
    const bad = nodemailer.createTransport({
      host: authed.smtp.host,
      port: authed.smtp.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: 'lucy', pass: 'nope' },
    });
    await expect(bad.sendMail({ from: 'a@b.c', to: 'x@y.z', text: 'hi' })).rejects.toMatchObject({
      responseCode: 535,
      code: 'EAUTH',
    });
    const none = nodemailer.createTransport({
      host: authed.smtp.host,
      port: authed.smtp.port,
      secure: false,
      ignoreTLS: true,
    });
    await expect(none.sendMail({ from: 'a@b.c', to: 'x@y.z', text: 'hi' })).rejects.toMatchObject({
      responseCode: 530,
    });
  });
});
