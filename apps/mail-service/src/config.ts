// mail-service's environment variables, checked once at boot. The one key an operator changes at run
// time, plantillaEmail, is declared where the module applies it (mail.module.ts).
import { baseConfigSchema, env, parseSecretKeys, SANDBOX_DEV_CREDENTIALS_KEY } from '@lucy/platform';
import { dependencyEnv, resilienceEnv } from '@lucy/resilience';
import { z } from 'zod';

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '::1'];

/**
 * The key used when CREDENTIALS_KEY is unset, only with the local sandbox's SMTP (refused otherwise), so
 * the whole system runs on one machine with no setup. It protects nothing. It is teams-service's dev key
 * (apps/teams-service/src/cuentas/credenciales.ts), derived the same way: what it seals, we open.
 */
export const DEV_CREDENTIALS_KEY = SANDBOX_DEV_CREDENTIALS_KEY;

/** `Nombre <direccion@dominio>` or a bare address; the domain also names our Message-IDs. */
const MAIL_ADDRESS = /^(?:[^<>]*<\s*[^<>\s@]+@([^<>\s@]+)\s*>|[^<>\s@]+@([^<>\s@]+))$/;

export const domainOf = (from: string): string => {
  const m = MAIL_ADDRESS.exec(from.trim());
  return (m?.[1] ?? m?.[2] ?? 'localhost').toLowerCase();
};

/** mail-service: the shared variables (see README) with this service's defaults, and its own. */
export const mailConfigSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: env.string().default('mail-service'),
    PORT: env.port().default(3004),
    DB_SCHEMA: env.identifier().default('mail'),
    // Each message in flight holds a database connection for its transaction and briefly needs a second
    // one (the send intent commits on its own): keep the prefetch below DB_POOL_SIZE (checked below).
    RABBITMQ_PREFETCH: env.int(1, 65535).default(5),

    SMTP_HOST: env.string().default('127.0.0.1'),
    SMTP_PORT: env.port().default(2525),
    /** true: TLS from the first byte (port 465). false: plain, upgraded with STARTTLS when offered. */
    SMTP_SECURE: env.bool().default(false),
    /** Refuse to send unless the server upgrades with STARTTLS (ignored when SMTP_SECURE). */
    SMTP_REQUIRE_TLS: env.bool().default(false),
    SMTP_USER: env.string().optional(),
    SMTP_PASSWORD: env.string().optional(),
    /** Connections kept open to the relay (nodemailer pool). */
    SMTP_POOL_SIZE: env.int(1, 100).default(5),
    /** Messages sent over one connection before it is recycled. */
    SMTP_MAX_MESSAGES_PER_CONNECTION: env.int(1, 100_000).default(100),
    SMTP_CONNECTION_TIMEOUT_MS: env.int(100, 300_000).default(10_000),
    SMTP_GREETING_TIMEOUT_MS: env.int(100, 300_000).default(10_000),
    /** Inactivity allowed in the middle of a session, e.g. waiting for the reply to the message. */
    SMTP_SOCKET_TIMEOUT_MS: env.int(100, 600_000).default(30_000),
    // REDIS_URL, RATE_LIMIT_REPLICAS, SMTP_RATE_PRESET, SMTP_RPM, SMTP_BREAKER_* (libs/resilience/README.md).
    // The breaker's deadline sits above connection + greeting + socket timeouts: nodemailer gives up first.
    ...resilienceEnv(),
    ...dependencyEnv('SMTP', { timeoutMs: 60_000 }),

    MAIL_FROM: env
      .string()
      .regex(MAIL_ADDRESS, { error: 'must be an address, optionally with a name: Nombre <direccion@dominio>' })
      .default('Lucy - UNRC <no-responder@lucy.localhost>'),
    MAIL_REPLY_TO: env.string().regex(MAIL_ADDRESS, { error: 'must be an address, optionally with a name' }).optional(),
    /** A folder with <plantilla>.subject.hbs, .html.hbs and .text.hbs; unset: the app's templates/. */
    MAIL_TEMPLATE_DIR: env.string().optional(),
    /** The Moodle the templates link to ({moodleUrl}). */
    MAIL_MOODLE_URL: env.url(['https', 'http']).default('https://moodle.unrc.edu.ar'),

    /** Opens the temporary passwords teams-service seals (SecretBox); several keys while rotating. */
    CREDENTIALS_KEY: env.secretKeys().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.RABBITMQ_PREFETCH >= c.DB_POOL_SIZE) {
      ctx.addIssue({
        code: 'custom',
        path: ['RABBITMQ_PREFETCH'],
        message: `must be below DB_POOL_SIZE (${c.DB_POOL_SIZE}): each message in flight needs two connections at once`,
      });
    }
    if (Boolean(c.SMTP_USER) !== Boolean(c.SMTP_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.SMTP_USER ? 'SMTP_PASSWORD' : 'SMTP_USER'],
        message: 'set SMTP_USER and SMTP_PASSWORD together, or neither',
      });
    }
    if (!c.CREDENTIALS_KEY && !LOCAL_HOSTS.includes(c.SMTP_HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['CREDENTIALS_KEY'],
        message: 'is required when SMTP is not the local sandbox (the dev key protects nothing)',
      });
    }
  });

export type MailConfig = z.infer<typeof mailConfigSchema>;

/** The keys that open sealed passwords: CREDENTIALS_KEY, or the dev key on a local setup. */
export const credentialKeys = (config: Pick<MailConfig, 'CREDENTIALS_KEY'>) =>
  parseSecretKeys(config.CREDENTIALS_KEY ?? DEV_CREDENTIALS_KEY);
