// The adapter to the SMTP relay: a pooled nodemailer transport. It knows SMTP, not students. Every
// send goes through the guard (libs/resilience): the relay's rate (SMTP_RPM; relays refuse bursts) and
// the breaker that pauses the queue while the relay is down. nodemailer takes no abort signal: a send
// the breaker gives up on may still complete, which is why its timeout sits above nodemailer's own and
// why such a timeout is reported as an unknown outcome (smtp.errors.ts), never sent again blindly.
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { InjectConfig } from '@lucy/platform';
import { InjectGuard, type DependencyGuard } from '@lucy/resilience';
import type { MailConfig } from '../config.js';

export interface MensajeSmtp {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Our Message-ID, fixed before sending (`<id@domain>`). */
  messageId: string;
}

export interface Aceptado {
  /** The server's reply to the end of the data, e.g. "250 2.0.0 Ok: queued as 1A2B3C". */
  respuesta: string;
}

@Injectable()
export class SmtpClient implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(
    @InjectConfig() private readonly config: MailConfig,
    @InjectGuard('smtp') private readonly guard: DependencyGuard,
  ) {
    this.transport = nodemailer.createTransport({
      pool: true,
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      requireTLS: config.SMTP_REQUIRE_TLS,
      auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD } : undefined,
      maxConnections: config.SMTP_POOL_SIZE,
      maxMessages: config.SMTP_MAX_MESSAGES_PER_CONNECTION,
      connectionTimeout: config.SMTP_CONNECTION_TIMEOUT_MS,
      greetingTimeout: config.SMTP_GREETING_TIMEOUT_MS,
      socketTimeout: config.SMTP_SOCKET_TIMEOUT_MS,
      // nodemailer's own log would carry the message, and so the password, at debug level: off.
      logger: false,
      debug: false,
      // Templates come from files an administrator edits: never let them pull in local files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    // Half-open: a connection that gets through the greeting (and AUTH) says the relay is back; nothing is sent.
    guard.setProbe(() => this.transport.verify());
  }

  /**
   * Resolves when the server accepted the message; rejects with nodemailer's error (see smtp.errors.ts),
   * or with the guard's DeferError when the relay must not be asked now (nothing was sent, unless the
   * error has a cause: then it was the half-open probe's send, and the cause says how it failed).
   */
  send(m: MensajeSmtp): Promise<Aceptado> {
    return this.guard.call('write', () => this.enviar(m));
  }

  private async enviar(m: MensajeSmtp): Promise<Aceptado> {
    const info = await this.transport.sendMail({
      from: this.config.MAIL_FROM,
      replyTo: this.config.MAIL_REPLY_TO,
      to: m.to,
      subject: m.subject,
      html: m.html,
      text: m.text,
      messageId: m.messageId,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length) {
      // With a single recipient nodemailer rejects the whole send; this is the defensive half of that.
      throw Object.assign(new Error(`recipient rejected: ${rejected.join(', ')}`), {
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
      });
    }
    return { respuesta: String(info.response ?? '') };
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
