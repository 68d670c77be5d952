// The SMTP stand-in: the SMTP listener, its inbox and the inbox's HTTP API, plus the SMTP knobs.
import express from 'express';
import type { SandboxContext } from '../context.js';
import { type Listening, listen } from '../http.js';
import type { Logger } from '../log.js';
import { validated } from '../admin/validate.js';
import { Mailbox } from './mailbox.store.js';
import { mailboxRouter } from './mailbox.router.js';
import { type SmtpOptions, startSmtp } from './smtp.server.js';
import { type SmtpKnobs, SmtpKnobsSchema } from './smtp.knobs.js';

export { Mailbox } from './mailbox.store.js';
export { SmtpKnobsSchema, type SmtpKnobs } from './smtp.knobs.js';

export interface SmtpStandIn {
  smtpPort: number;
  mailboxUrl: string;
  mailbox: Mailbox;
  knobs(): SmtpKnobs;
  adminRouter(): express.Router;
  close(): Promise<void>;
}

export function smtpKnobsFromEnv(env: NodeJS.ProcessEnv): Partial<SmtpKnobs> {
  return env.SANDBOX_SMTP_KNOBS ? JSON.parse(env.SANDBOX_SMTP_KNOBS) : {};
}

export async function startSmtpStandIn(
  ctx: SandboxContext,
  opts: SmtpOptions & { mailboxPort: number; knobs?: Partial<SmtpKnobs> },
  log: Logger,
): Promise<SmtpStandIn> {
  const initial = SmtpKnobsSchema.parse(opts.knobs ?? {});
  let knobs = initial;
  const mailbox = new Mailbox();
  const smtp = await startSmtp(
    ctx,
    mailbox,
    () => knobs,
    (k) => (knobs = SmtpKnobsSchema.parse({ ...knobs, ...k })),
    opts,
    log,
  );
  const app = express();
  app.disable('x-powered-by');
  app.use(mailboxRouter(mailbox));
  let http: Listening;
  try {
    http = await listen(app, opts.host, opts.mailboxPort);
  } catch (e) {
    await smtp.close();
    throw e;
  }
  return {
    smtpPort: smtp.port,
    mailboxUrl: http.url,
    mailbox,
    knobs: () => knobs,
    adminRouter() {
      // /_admin/smtp: the SMTP-specific knobs and the inbox size.
      const r = express.Router();
      r.use(express.json());
      r.get('/knobs', (_req, res) => res.json(knobs));
      r.put(
        '/knobs',
        validated(SmtpKnobsSchema.partial(), (body, _req, res) => {
          knobs = SmtpKnobsSchema.parse({
            ...knobs,
            ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
          });
          res.json(knobs);
        }),
      );
      r.post('/reset', (_req, res) => {
        knobs = initial;
        mailbox.delete();
        res.json(knobs);
      });
      return r;
    },
    close: async () => {
      await Promise.all([smtp.close(), http.close()]);
    },
  };
}
