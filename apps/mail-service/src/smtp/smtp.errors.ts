// What an error from nodemailer means for the message, in the three outcomes the use case knows.
//
// SMTP quirks handled here (RFC 5321 §4.2.1, §6.1):
// - Every reply settles the question "was it accepted?": no. 5yz is permanent, 4yz temporary. 503 (bad
//   sequence) is a session problem, not a verdict on the message: temporary. nodemailer puts the reply on
//   the error as `responseCode` and the command it answered as `command`.
// - A 5yz is only the student's problem when it answers RCPT TO (the address) or the data (the message).
//   At MAIL FROM, AUTH or EHLO it is our sender or our credentials, the same for every student: retried
//   (and parked when it lasts) so an operator can fix the configuration and replay.
// - An error without a reply is a lost connection. Lost before the session started (refused, DNS,
//   TLS, connect or greeting timeout) nothing was sent. Lost later it may be mid-transfer, or just after
//   the server queued the message and before its 250 reached us: the outcome is unknown. (nodemailer's
//   pool already re-sends on a fresh connection when a reused one died before any byte of the message
//   left, and reports "Reached maximum number of retries after connection was closed" when those
//   re-sends run out: that one is known not to have gone out.)

import type { ErrorClassifier } from '@lucy/resilience';

export type Clasificacion = { tipo: 'permanente' | 'transitorio' | 'incierto'; motivo: string; codigo: string };

interface SmtpErrorLike {
  message?: string;
  code?: string;
  originalCode?: string;
  responseCode?: number;
  command?: string;
  timeoutType?: string;
}

const ANTES_DE_LA_SESION = new Set(['EDNS', 'ETLS', 'EPROXY', 'EREQUIRETLS']);
const SIN_CONEXION = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);
const TIMEOUTS_INICIALES = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);
const CONFIGURACION = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG']);
const REENVIOS_AGOTADOS = /Reached maximum number of retries after connection was closed/;

export function clasificarErrorSmtp(err: unknown): Clasificacion {
  const e = (err ?? {}) as SmtpErrorLike;
  const message = String(e.message ?? err).slice(0, 1500);
  const code = e.code ?? 'ERROR';

  if (CONFIGURACION.has(code))
    return { tipo: 'transitorio', codigo: `SMTP_${code}`, motivo: `configuración SMTP: ${message}` };

  if (typeof e.responseCode === 'number') {
    const reply = e.responseCode;
    const command = (e.command ?? '').toUpperCase();
    const alDestinatario = command.startsWith('RCPT') || command === 'DATA';
    if (reply >= 500 && reply !== 503 && alDestinatario) {
      return {
        tipo: 'permanente',
        codigo: `SMTP_${reply}`,
        motivo: `el servidor rechazó el mensaje (${command}): ${message}`,
      };
    }
    return {
      tipo: 'transitorio',
      codigo: `SMTP_${reply}`,
      motivo: `el servidor no aceptó el mensaje por ahora (${command || 'sesión'}): ${message}`,
    };
  }

  if (code === 'EENVELOPE' || code === 'EMESSAGE') {
    // Refused by nodemailer itself, before talking to anyone (an address it cannot encode, no recipient).
    return { tipo: 'permanente', codigo: `SMTP_${code}`, motivo: `mensaje inválido: ${message}` };
  }

  const noSalio =
    ANTES_DE_LA_SESION.has(code) ||
    (code === 'ESOCKET' && SIN_CONEXION.has(e.originalCode ?? '')) ||
    (code === 'ETIMEDOUT' && TIMEOUTS_INICIALES.has(e.timeoutType ?? '')) ||
    REENVIOS_AGOTADOS.test(message);
  if (noSalio)
    return { tipo: 'transitorio', codigo: `SMTP_${code}`, motivo: `sin conexión con el servidor SMTP: ${message}` };

  return {
    tipo: 'incierto',
    codigo: `SMTP_${code}`,
    motivo: `se perdió la conexión durante el envío; el servidor pudo haberlo aceptado: ${message}`,
  };
}

/**
 * What a failed send says about the relay itself, for the guard (libs/resilience): a 5xx to the address
 * or the message is this student's and must not open the breaker; 4xx replies, a connection refused or
 * lost, and a 5xx to our sender or credentials (the same for every student) mean the relay cannot take
 * mail now and count against it.
 */
export const smtpClassifier: ErrorClassifier = (err) =>
  clasificarErrorSmtp(err).tipo === 'permanente' ? { kind: 'permanent' } : { kind: 'transient' };
