// One credentials email per student, template and credential version (the `clave`). Its row goes
// through these states; the rules below say what a (re)delivery does with the row it finds.
//
//   (none) ──intent committed──> enviando ──250──────────────> enviado
//                                   │     ──5xx to the address──> fallido (permanente)
//                                   │     ──4xx / no connection──> fallido (no permanente) ──next try──> enviando
//                                   │     ──lost mid-transfer───> incierto
//                                   └──found again, nobody sending (crash)──> incierto
//
// "incierto": the SMTP server may have accepted the message (it takes responsibility when it answers
// the end of the data; a connection lost around that moment leaves us not knowing) and SMTP offers no
// way to ask. Sending again could give the student two emails; not sending could give none. We keep the
// promise of at most one email per credential and report the doubt instead: EmailFallido with
// permanente:false and code ENVIO_INCIERTO, so the workflow ends with a warning an operator sees; the
// row keeps the Message-ID, which the relay's logs can be searched for; and the safe remedy, a password
// reset, issues a new credential version and so a new email.

export const PLANTILLA_BIENVENIDA = 'bienvenida';
/**
 * The return email (a student came back: their account is active again). It carries no credential: its
 * clave's `credencialVersion` holds the return's number instead (the student's first return, second, ...),
 * so each return is emailed once, whatever is redelivered or retried, and a later return again.
 */
export const PLANTILLA_RETORNO = 'retorno';

/**
 * An operators' alert (the gateway's EnviarAlerta). Not a student's email, but sent and recorded the same way:
 * its clave's `alumnoId` holds the alert's id and `credencialVersion` is 1, so each alert is emailed once,
 * whatever is redelivered; `destinatario` lists its recipients.
 */
export const PLANTILLA_ALERTA = 'alerta';

export type EstadoEnvio = 'enviando' | 'enviado' | 'fallido' | 'incierto';

export interface ClaveEnvio {
  alumnoId: string;
  plantilla: string;
  credencialVersion: number;
}

export interface EnvioRegistrado {
  estado: EstadoEnvio;
  permanente: boolean | null;
}

export const CODIGO_INCIERTO = 'ENVIO_INCIERTO';

export type Decision =
  /** Nothing sent yet, or a try the server refused for now: send. */
  | 'enviar'
  /** Settled before: tell the saga again what happened, send nothing. */
  | 'repetirResultado'
  /** A try died between its intent and its outcome: it may have gone out. */
  | 'declararIncierto';

/**
 * What to do with a message for a clave whose row is `previo`. The caller holds the clave's lock, so an
 * `enviando` row is never another try still running: that try's process or transaction is gone.
 */
export function decidir(previo: EnvioRegistrado | null): Decision {
  if (!previo) return 'enviar';
  switch (previo.estado) {
    case 'enviando':
      return 'declararIncierto';
    case 'fallido':
      return previo.permanente ? 'repetirResultado' : 'enviar';
    case 'enviado':
    case 'incierto':
      return 'repetirResultado';
  }
}
