// The gateway's environment variables, checked once at boot. What an operator changes at run time is
// the configuracion API's (src/configuracion/).
import { baseConfigSchema, env } from '@lucy/platform';
import { z } from 'zod';
import { idempotencyConfigShape } from './idempotency/idempotency.config.js';

/** The services whose parked messages and breakers the API shows (their queues are named after them). */
const SERVICIOS = ['gateway', 'ingest-service', 'teams-service', 'moodle-service', 'mail-service'];
const PUERTOS: Record<string, number> = {
  gateway: 3000,
  'ingest-service': 3001,
  'teams-service': 3002,
  'moodle-service': 3003,
  'mail-service': 3004,
};

const urlMap = () =>
  z.string().transform((raw, ctx) => {
    try {
      const parsed = z.record(z.string().min(1), z.url({ protocol: /^https?$/ })).parse(JSON.parse(raw));
      return parsed;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON like {"teams-service":"http://teams:3002"}' });
      return z.NEVER;
    }
  });

/** gateway: the shared variables (see README) with this service's defaults. Its own variables go here. */
export const gatewayConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: env.string().default('gateway'),
  PORT: env.port().default(3000),
  DB_SCHEMA: env.identifier().default('gateway'),
  /** Scales the saga's step timeouts (30 min to create an account, ...): tests shrink them. */
  WORKFLOW_TIMEOUT_FACTOR: z.coerce.number().positive().default(1),
  /** How often the sweeper looks for stuck workflows and failed undo steps to retry. */
  SWEEP_INTERVAL_MS: env.int(100).default(30_000),
  /** A leaver's grace: days suspended before the account is deleted (fractions for tests and demos). */
  GRACIA_BAJA_DIAS: z.coerce.number().min(0).max(3650).default(180),

  /** The first admin token (or ADMIN_TOKEN_FILE): stored hashed at start under the name "admin". */
  ADMIN_TOKEN: env.string().min(32, { error: 'must be at least 32 characters (openssl rand -base64 32)' }).optional(),
  /** Services the API reports on: comma-separated names. */
  SERVICES: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: 'must be service names (lower case, digits, -)' }))
        .min(1),
    )
    .default(SERVICIOS),
  /** Where each service answers /health/ready: JSON map; <SVC>_URL (TEAMS_SERVICE_URL, ...) wins per service. */
  SERVICE_URLS: urlMap().default({}),
  INGEST_SERVICE_URL: env.url(['http', 'https']).optional(),
  TEAMS_SERVICE_URL: env.url(['http', 'https']).optional(),
  MOODLE_SERVICE_URL: env.url(['http', 'https']).optional(),
  MAIL_SERVICE_URL: env.url(['http', 'https']).optional(),
  /** An uploaded file's limit in bytes and in rows (ingest takes at most 20,000 rows per lote). */
  UPLOAD_MAX_BYTES: env.int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  UPLOAD_MAX_ROWS: env.int(1, 20_000).default(20_000),
  /** Most students one bulk action may touch. */
  ACCION_MAX_ALUMNOS: env.int(1, 20_000).default(1000),
  /** A workflow still running after this long is listed as stuck. */
  STUCK_AFTER_MS: env.int(1000).default(3_600_000),
  /**
   * The least time between two runs of the scheduled SIAL pull (runtime key sincronizacion.cron): each
   * run brings a whole cohort from SIAL, so an expression that fires more often is refused. Tests lower it.
   */
  SCHEDULER_MIN_INTERVAL_S: env.int(1, 86_400).default(300),
  /**
   * The OneRoster REST server, as ingest-service has it (ONEROSTER_URL there, with the credentials, which
   * the gateway never holds): here only whether it is set matters. Set, the OneRoster jobs run on their
   * schedules and POST /api/v1/sync/oneroster pulls it; unset, both say the source is not configured.
   */
  ONEROSTER_URL: env.url(['http', 'https']).optional(),
  /** How long a retention run waits for every service's answer before reporting the silent ones (sin_respuesta). */
  RETENCION_PLAZO_MS: env.int(100).default(30 * 60_000),
  /** Rows a retention run deletes per statement (one short transaction each), and the pause between two. */
  RETENCION_LOTE: env.int(1, 100_000).default(1000),
  RETENCION_PAUSA_MS: env.int(0, 60_000).default(50),
  ...idempotencyConfigShape,
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

/** Each service's base URL: <SVC>_URL, then SERVICE_URLS, then the local default port. */
export function serviceUrls(c: GatewayConfig): Record<string, string> {
  const porVariable: Record<string, string | undefined> = {
    'ingest-service': c.INGEST_SERVICE_URL,
    'teams-service': c.TEAMS_SERVICE_URL,
    'moodle-service': c.MOODLE_SERVICE_URL,
    'mail-service': c.MAIL_SERVICE_URL,
    gateway: `http://127.0.0.1:${c.PORT}`,
  };
  return Object.fromEntries(
    c.SERVICES.map((s) => [
      s,
      (porVariable[s] ?? c.SERVICE_URLS[s] ?? `http://127.0.0.1:${PUERTOS[s] ?? 3000}`).replace(/\/+$/, ''),
    ]),
  );
}
