// ingest-service's environment variables, checked once at boot. The keys an operator changes at run
// time are in runtime-keys.ts.
import { baseConfigSchema, env } from '@lucy/platform';
import { dependencyEnv, resilienceEnv } from '@lucy/resilience';
import { z } from 'zod';

/** The sandbox's SIAL credentials (apps/sandbox/src/sial/sial.store.ts): the default for a local SIAL only. */
const SANDBOX_SIAL_PASSWORD = 'sandbox-sial-password';
/** True for a remote http(s) SIAL; false for a local one, and for a malformed URL (reported on its own). */
function isRemote(url: string): boolean {
  try {
    const u = new URL(url);
    return ['http:', 'https:'].includes(u.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/** ingest-service: the shared variables (see README) with this service's defaults, and its own. */
export const ingestConfigSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: env.string().default('ingest-service'),
    PORT: env.port().default(3001),
    DB_SCHEMA: env.identifier().default('ingest'),

    /** SIAL's REST API (without /v1/api); the sandbox stand-in by default. */
    SIAL_URL: env.url(['http', 'https']).default('http://127.0.0.1:4030'),
    SIAL_USER: env.string().default('lucy'),
    /** Required unless SIAL_URL is local (then the sandbox's password is assumed). */
    SIAL_PASSWORD: env.string().optional(),
    /** Per request: a slower answer counts as a transient failure and the pull is retried. */
    SIAL_TIMEOUT_MS: env.int(100, 600_000).default(30_000),
    /** Records per page asked of SIAL (it may cap it; we follow its `next` links either way). */
    SIAL_PAGE_SIZE: env.int(1, 10_000).default(500),
    // REDIS_URL (breaker resets reach every replica) and SIAL_BREAKER_* (libs/resilience/README.md); the
    // breaker's deadline sits above SIAL_TIMEOUT_MS. SIAL's calls are not rate-limited (SIAL_RPM unused).
    ...resilienceEnv(),
    ...dependencyEnv('SIAL', { timeoutMs: 40_000 }),

    /**
     * The OneRoster 1.1 REST server (its root, without /ims/oneroster/v1p1); unset: the source is not
     * configured and a pull of it fails saying so. Authentication: OAuth 1.0a request signing with a
     * consumer key and secret (1.1's), or OAuth 2 client credentials at a token URL (what 1.2 servers offer).
     */
    ONEROSTER_URL: env.url(['http', 'https']).optional(),
    ONEROSTER_AUTH: z.enum(['oauth1', 'oauth2'], { error: 'must be oauth1 or oauth2' }).default('oauth1'),
    ONEROSTER_CONSUMER_KEY: env.string().optional(),
    ONEROSTER_CONSUMER_SECRET: env.string().optional(),
    ONEROSTER_CLIENT_ID: env.string().optional(),
    ONEROSTER_CLIENT_SECRET: env.string().optional(),
    ONEROSTER_TOKEN_URL: env.url(['http', 'https']).optional(),
    /** Space-separated OAuth 2 scopes; unset: the server's default. */
    ONEROSTER_SCOPE: env.string().optional(),
    /** `limit` asked per page (servers cap it; X-Total-Count and the Link header say the rest). */
    ONEROSTER_PAGE_SIZE: env.int(1, 10_000).default(100),
    ONEROSTER_TIMEOUT_MS: env.int(100, 600_000).default(30_000),
    /**
     * How far before a pull's start its mark is set: the server stamps dateLastModified with its own clock,
     * ours may be ahead. A change read twice is harmless; one missed is not.
     */
    ONEROSTER_CLOCK_SKEW_MS: env.int(0, 86_400_000).default(60_000),
    // ONEROSTER_RPM and ONEROSTER_BREAKER_* (libs/resilience/README.md).
    ...dependencyEnv('ONEROSTER'),

    /** How many new students of one lote may await their Teams account at once, until an operator sets loteTamano. */
    BATCH_SIZE: env.int(1, 10_000).default(20),
    /** After this long without a CuentaTeams reply a released student stops holding its slot. */
    BATCH_RELEASE_TIMEOUT_MS: env.int(1000).default(300_000),
    /** How often each replica looks for overdue replies and lotes with room to release (0 = never). */
    BATCH_SWEEP_MS: env.int(0).default(15_000),

    /** Complete SIAL pulls in a row without a listed student before they are taken as leaving (0 = never), until an operator sets ausenciasParaBaja. */
    AUSENCIAS_PARA_BAJA: env.int(0, 100).default(3),

    /**
     * The safeguard, until an operator sets umbralBajas: a pull or upload that would suspend more than this
     * share (%) of the active students, or more than this many, waits for an operator's approval.
     */
    UMBRAL_BAJAS_PORCENTAJE: z.coerce
      .number({ error: 'must be a number' })
      .min(0, { error: 'must be at least 0' })
      .max(100, { error: 'must be at most 100' })
      .default(5),
    UMBRAL_BAJAS_CANTIDAD: env.int(0, 1_000_000).default(100),
    /** New students wait for an operator's approval before their onboarding, until an operator sets aprobacionNuevos. */
    APROBACION_NUEVOS: env.bool().default(false),
  })
  .superRefine((c, ctx) => {
    if (c.SIAL_PASSWORD === undefined && isRemote(c.SIAL_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SIAL_PASSWORD'],
        message: 'is required when SIAL_URL is not local (or set SIAL_PASSWORD_FILE)',
      });
    }
    if (c.ONEROSTER_URL === undefined) return;
    const requeridas =
      c.ONEROSTER_AUTH === 'oauth1'
        ? (['ONEROSTER_CONSUMER_KEY', 'ONEROSTER_CONSUMER_SECRET'] as const)
        : (['ONEROSTER_CLIENT_ID', 'ONEROSTER_CLIENT_SECRET', 'ONEROSTER_TOKEN_URL'] as const);
    for (const k of requeridas)
      if (c[k] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `is required with ONEROSTER_URL and ONEROSTER_AUTH=${c.ONEROSTER_AUTH}${k.endsWith('SECRET') ? ` (or set ${k}_FILE)` : ''}`,
        });
  });

export type IngestConfig = z.infer<typeof ingestConfigSchema>;

/** SIAL_PASSWORD, or the sandbox's for a local SIAL (the schema refuses a remote SIAL without one). */
export const sialPassword = (c: IngestConfig): string => c.SIAL_PASSWORD ?? SANDBOX_SIAL_PASSWORD;
