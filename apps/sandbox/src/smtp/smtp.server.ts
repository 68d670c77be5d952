// A real SMTP server (smtp-server) that accepts and keeps messages, parsed with mailparser, the way a
// relay at the university would take them from mail-service. No TLS (STARTTLS disabled: nodemailer
// must use secure:false, ignoreTLS:true), AUTH PLAIN/LOGIN only when credentials are configured.
// Replies to faults follow Postfix's wording so that client code sees realistic codes:
//   550 5.1.1 <x>: Recipient address rejected: User unknown      (permanent: do not retry)
//   451 4.3.0 <x>: Temporary lookup failure                      (temporary: retry later)
//   452 4.2.2 <x>: Mailbox full                                  (temporary)
//   421 4.7.0 ... closing connection                             (down / throttled)
import { simpleParser, type AddressObject } from 'mailparser';
import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { SandboxContext } from '../context.js';
import { sleep } from '../faults/index.js';
import type { Logger } from '../log.js';
import type { Address, Mailbox } from './mailbox.store.js';
import { type SmtpKnobs, matchesAny } from './smtp.knobs.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** When both are set, AUTH PLAIN/LOGIN is required with these credentials. */
  user?: string;
  password?: string;
  maxSize?: number;
}

const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

const addresses = (a: AddressObject | AddressObject[] | undefined): Address[] =>
  (Array.isArray(a) ? a : a ? [a] : [])
    .flatMap((o) => o.value)
    .map((v) => ({ Name: v.name ?? '', Address: v.address ?? '' }));

/** smtp-server keeps its connections in a Set; we need the socket to drop one mid-transfer. */
function socketOf(server: SMTPServer, session: SMTPServerSession): Socket | undefined {
  const conns = (server as unknown as { connections: Set<{ id: string; _socket: Socket }> }).connections;
  for (const c of conns) if (c.id === session.id) return c._socket;
  return undefined;
}

export interface RunningSmtp {
  server: SMTPServer;
  port: number;
  close(): Promise<void>;
}

export async function startSmtp(
  ctx: SandboxContext,
  mailbox: Mailbox,
  knobs: () => SmtpKnobs,
  useKnobs: (k: Partial<SmtpKnobs>) => void,
  opts: SmtpOptions,
  log: Logger,
): Promise<RunningSmtp> {
  const requireAuth = Boolean(opts.user && opts.password);
  const record = (endpoint: string, code: number) => ctx.counters.record('smtp', endpoint, code);

  const server: SMTPServer = new SMTPServer({
    name: 'smtp.sandbox.local',
    banner: 'ESMTP Lucy sandbox',
    logger: false,
    secure: false,
    disabledCommands: requireAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !requireAuth,
    allowInsecureAuth: true,
    size: opts.maxSize ?? 25 * 1024 * 1024,
    // Shorter than the default so a test's close() is not held by idle pooled connections.
    closeTimeout: 1000,

    onConnect(_session, callback) {
      const d = ctx.faults.decide('smtp');
      const go = async () => {
        if (d.delayMs) await sleep(d.delayMs);
        if (d.kind === 'down') {
          record('CONNECT', 421);
          return callback(smtpError(421, 'smtp.sandbox.local Service not available, closing transmission channel'));
        }
        (_session as SMTPServerSession & { fault?: string }).fault = d.kind;
        callback();
      };
      void go();
    },

    onAuth(auth, _session, callback) {
      if (auth.username === opts.user && auth.password === opts.password)
        return callback(null, { user: auth.username });
      record('AUTH', 535);
      callback(smtpError(535, '5.7.8 Error: authentication failed: authentication failure'));
    },

    onMailFrom(address, session, callback) {
      const fault = (session as SMTPServerSession & { fault?: string }).fault;
      if (fault === 'error5xx') {
        record('MAIL', 451);
        return callback(smtpError(451, '4.3.0 Error: queue file write error'));
      }
      if (fault === 'throttle') {
        record('MAIL', 421);
        return callback(
          smtpError(421, '4.7.0 smtp.sandbox.local Error: too many messages, slow down, closing connection'),
        );
      }
      callback();
      void address;
    },

    onRcptTo(address, _session, callback) {
      const k = knobs();
      const to = address.address;
      if (matchesAny(k.rejectRecipients, to)) {
        record('RCPT', 550);
        return callback(
          smtpError(550, `5.1.1 <${to}>: Recipient address rejected: User unknown in virtual mailbox table`),
        );
      }
      if (matchesAny(k.tempFailRecipients, to)) {
        record('RCPT', 451);
        return callback(smtpError(451, `4.3.0 <${to}>: Temporary lookup failure`));
      }
      if (matchesAny(k.mailboxFullRecipients, to)) {
        record('RCPT', 452);
        return callback(smtpError(452, `4.2.2 <${to}>: Mailbox full`));
      }
      callback();
    },

    onData(stream, session, callback) {
      const k = knobs();
      const rcpts = session.envelope.rcptTo.map((r) => r.address);
      const drop = k.dropNextMessages > 0 || rcpts.some((r) => matchesAny(k.dropRecipients, r));
      if (k.dropNextMessages > 0) useKnobs({ dropNextMessages: k.dropNextMessages - 1 });
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        if (drop && !dropped) {
          // Cut the TCP connection with the message half received: the client sees a socket error.
          dropped = true;
          record('DATA', 0);
          log('warn', 'smtp connection dropped mid-transfer', { rcptCount: rcpts.length });
          socketOf(server, session)?.destroy();
        }
      });
      stream.on('end', async () => {
        if (dropped) return;
        if (stream.sizeExceeded) {
          record('DATA', 552);
          return callback(smtpError(552, '5.3.4 Error: message file too big'));
        }
        const raw = Buffer.concat(chunks);
        try {
          const parsed = await simpleParser(raw);
          const headers: Record<string, string[]> = {};
          for (const line of parsed.headerLines)
            (headers[line.key] ??= []).push(line.line.slice(line.line.indexOf(':') + 1).trim());
          const msg = mailbox.add({
            MessageID: parsed.messageId ?? '',
            From: addresses(parsed.from)[0] ?? null,
            To: addresses(parsed.to),
            Cc: addresses(parsed.cc),
            Bcc: addresses(parsed.bcc),
            ReplyTo: addresses(parsed.replyTo),
            Subject: parsed.subject ?? '',
            Date: parsed.date ? parsed.date.toISOString() : null,
            Text: parsed.text ?? '',
            HTML: typeof parsed.html === 'string' ? parsed.html : '',
            Size: raw.length,
            Attachments: parsed.attachments.map((a) => ({
              FileName: a.filename ?? '',
              ContentType: a.contentType,
              Size: a.size,
            })),
            Headers: headers,
            Envelope: {
              MailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              RcptTo: rcpts,
              RemoteAddress: session.remoteAddress,
              AuthUser: (session.user as string | undefined) ?? null,
            },
            Raw: raw,
          });
          if (k.dataDelayMs) await sleep(k.dataDelayMs);
          record('DATA', 250);
          log('info', 'smtp message accepted', { id: msg.ID, rcptCount: rcpts.length, size: raw.length });
          callback(null, `2.0.0 Ok: queued as ${msg.ID.replace(/-/g, '').slice(0, 12).toUpperCase()}`);
        } catch (e) {
          record('DATA', 451);
          callback(smtpError(451, `4.3.0 Error: could not parse message: ${(e as Error).message}`));
        }
      });
    },
  });
  server.on('error', (err) => log('warn', 'smtp error', { error: err.message }));

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const conns = (server as unknown as { connections: Set<{ _socket: Socket }> }).connections;
        for (const c of conns) c._socket.destroy();
        server.close(() => resolve());
      }),
  };
}
