import { clasificarErrorSmtp, smtpClassifier } from './smtp.errors.js';

const smtpError = (props: Record<string, unknown>) =>
  Object.assign(new Error(String(props.message ?? 'smtp error')), props);

describe('clasificarErrorSmtp', () => {
  it('takes a 5xx to the recipient as permanent (the address does not exist)', () => {
    const c = clasificarErrorSmtp(
      smtpError({
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
        message:
          "Can't send mail - all recipients were rejected: 550 5.1.1 <x@rechazado.example>: Recipient address rejected",
      }),
    );
    expect(c).toMatchObject({ tipo: 'permanente', codigo: 'SMTP_550' });
    expect(c.motivo).toContain('5.1.1');
  });

  it('takes a 5xx to the message data as permanent', () => {
    expect(clasificarErrorSmtp(smtpError({ code: 'EMESSAGE', responseCode: 552, command: 'DATA' })).tipo).toBe(
      'permanente',
    );
  });

  it('retries 4xx replies at any step: nothing was accepted', () => {
    for (const [responseCode, command] of [
      [451, 'RCPT TO'],
      [452, 'RCPT TO'],
      [451, 'MAIL FROM'],
      [421, 'CONN'],
      [454, 'DATA'],
    ] as const) {
      expect(clasificarErrorSmtp(smtpError({ code: 'EENVELOPE', responseCode, command })).tipo).toBe('transitorio');
    }
  });

  it('retries 503 (bad sequence), a session problem rather than a verdict', () => {
    expect(clasificarErrorSmtp(smtpError({ code: 'EENVELOPE', responseCode: 503, command: 'RCPT TO' })).tipo).toBe(
      'transitorio',
    );
  });

  it('retries a 5xx to our sender or our credentials: it is configuration, not the student', () => {
    expect(clasificarErrorSmtp(smtpError({ code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' })).tipo).toBe(
      'transitorio',
    );
    expect(clasificarErrorSmtp(smtpError({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }))).toMatchObject({
      tipo: 'transitorio',
      codigo: 'SMTP_EAUTH',
    });
  });

  it('retries when the connection never got going', () => {
    expect(
      clasificarErrorSmtp(smtpError({ code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' })).tipo,
    ).toBe('transitorio');
    expect(
      clasificarErrorSmtp(smtpError({ code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT', command: 'CONN' })).tipo,
    ).toBe('transitorio');
    expect(
      clasificarErrorSmtp(smtpError({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT', command: 'CONN' })).tipo,
    ).toBe('transitorio');
    expect(clasificarErrorSmtp(smtpError({ code: 'EDNS', command: 'CONN' })).tipo).toBe('transitorio');
    expect(
      clasificarErrorSmtp(
        smtpError({ code: 'ECONNECTION', message: 'Reached maximum number of retries after connection was closed' }),
      ).tipo,
    ).toBe('transitorio');
  });

  it('calls a connection lost mid-session uncertain: the server may have queued the message', () => {
    expect(
      clasificarErrorSmtp(
        smtpError({ code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' }),
      ).tipo,
    ).toBe('incierto');
    expect(
      clasificarErrorSmtp(smtpError({ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT', command: 'CONN' })).tipo,
    ).toBe('incierto');
    expect(clasificarErrorSmtp(smtpError({ code: 'ESOCKET', originalCode: 'ECONNRESET', command: 'CONN' })).tipo).toBe(
      'incierto',
    );
  });

  it('treats something that is not an SMTP error as uncertain too (never a blind resend)', () => {
    expect(clasificarErrorSmtp(new Error('boom')).tipo).toBe('incierto');
  });
});

describe('what a failed send says about the relay (the guard’s classifier)', () => {
  it('never opens the breaker for an address rejected for good', () => {
    expect(smtpClassifier(smtpError({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }))).toEqual({
      kind: 'permanent',
    });
  });

  it('counts 4xx replies, refused or lost connections and our own configuration against the relay', () => {
    expect(smtpClassifier(smtpError({ code: 'EENVELOPE', responseCode: 421, command: 'CONN' }))).toEqual({
      kind: 'transient',
    });
    expect(smtpClassifier(smtpError({ code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }))).toEqual({
      kind: 'transient',
    });
    expect(
      smtpClassifier(smtpError({ code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' })),
    ).toEqual({ kind: 'transient' });
    expect(smtpClassifier(smtpError({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }))).toEqual({
      kind: 'transient',
    });
  });
});
