import type { LoggerOptions } from 'pino';
import { pino } from 'pino';
import { currentCorrelation } from '../context/correlation.js';

// Keys whose values never reach a log line, at any depth we log. A temporary password travels as
// `credencial` (see libs/contracts); Graph's passwordProfile holds `password`.
const SECRET_KEYS = [
  'password',
  'credencial',
  'secret',
  'token',
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'refreshToken',
  'authorization',
];

/** pino redact paths: the header, and each secret key at the top level and up to four levels down. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`, `*.*.*.*.${key}`]),
];

/** Adds the current correlation (HTTP request or handled message) to every line. */
export function correlationMixin(): Record<string, string> {
  const ctx = currentCorrelation();
  if (!ctx) return {};
  const fields: Record<string, string> = { correlationId: ctx.correlationId };
  if (ctx.causationId) fields.causationId = ctx.causationId;
  if (ctx.messageId) fields.messageId = ctx.messageId;
  return fields;
}

/** The one pino configuration of Lucy: JSON lines, ISO time, level as a word, `service`, correlation. */
export function pinoOptions(service: string, level: string = 'info'): LoggerOptions {
  return {
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: correlationMixin,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
  };
}
