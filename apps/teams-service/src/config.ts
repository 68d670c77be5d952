// teams-service's environment variables, checked once at boot. The keys an operator changes at run
// time are in runtime-keys.ts.
import { existsSync } from 'node:fs';
import { baseConfigSchema, env } from '@lucy/platform';
import { dependencyEnv, resilienceEnv } from '@lucy/resilience';
import { z } from 'zod';
import { validarDominio, validarPatronUpn } from './domain/upn.js';

// Defaults are the sandbox's public dev registration (apps/sandbox/src/graph/README.md), so the service
// runs against the stand-in with no environment at all. They only ever unlock the sandbox.
const SANDBOX = {
  tenantId: '7d3c1f5e-2a4b-4c6d-8e9f-0a1b2c3d4e5f',
  clientId: '3f8a5c2e-9b1d-4e7a-a6c4-1d2e3f4a5b6c',
  clientSecret: 'lucy-sandbox~dev-secret-0000000000000000',
  authorityHost: 'https://127.0.0.1:4010',
  graphBaseUrl: 'https://127.0.0.1:4011/v1.0',
  /** Office 365 A1 for students, which the sandbox tenant has plenty of. */
  licenseSkuId: '314c4481-f395-4525-be8b-2ec4bb1e9d91',
};

/** Delays between attempts of a message that fails transiently (libs/messaging); they add up to the retry budget. */
export const RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 300_000, 900_000, 900_000];

const guid = () =>
  z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: 'must be a GUID' });

/** A check that names the problem (the runtime configuration's checks too) as a zod refinement. */
const problemaComo = (check: (value: string) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
  const problem = check(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};

const isLocal = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/** teams-service: the shared variables (see README) with this service's defaults, and its own. */
export const teamsConfigSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: env.string().default('teams-service'),
    PORT: env.port().default(3002),
    DB_SCHEMA: env.identifier().default('teams'),

    GRAPH_TENANT_ID: env.string().default(SANDBOX.tenantId),
    GRAPH_CLIENT_ID: env.string().default(SANDBOX.clientId),
    GRAPH_CLIENT_SECRET: env.string().default(SANDBOX.clientSecret),
    GRAPH_AUTHORITY_HOST: env.url(['https']).default(SANDBOX.authorityHost),
    GRAPH_BASE_URL: env.url(['https']).default(SANDBOX.graphBaseUrl),
    GRAPH_SCOPE: env.string().default('https://graph.microsoft.com/.default'),
    /** An extra CA to trust (the sandbox's); unset: the sandbox's default CA file when it exists. */
    GRAPH_CA_FILE: env
      .string()
      .refine((path) => existsSync(path), { error: 'names a file that does not exist' })
      .optional(),
    GRAPH_TIMEOUT_MS: env.int(100, 300_000).default(15_000),
    // REDIS_URL, RATE_LIMIT_REPLICAS, GRAPH_RATE_PRESET, GRAPH_RPM, GRAPH_WRITE_RPM, GRAPH_BREAKER_*
    // (libs/resilience/README.md). The breaker's deadline sits above GRAPH_TIMEOUT_MS, so a slow
    // answer fails as our own timeout first.
    ...resilienceEnv(),
    ...dependencyEnv('GRAPH', { timeoutMs: 20_000 }),

    // UPN_PATTERN, UPN_DOMAIN and LICENSE_SKU_ID are the defaults of the runtime keys upn and licenciaSku
    // (configuracion.ts): an operator's value replaces them without a restart, checked the same way.
    UPN_PATTERN: env.string().superRefine(problemaComo(validarPatronUpn)).default('a{dni}@{domain}'),
    UPN_DOMAIN: env.string().superRefine(problemaComo(validarDominio)).default('estudiantes.unrc.edu.ar'),
    USAGE_LOCATION: env
      .string()
      .regex(/^[A-Z]{2}$/, { error: 'must be a two-letter ISO country code in capitals' })
      .default('AR'),
    LICENSE_SKU_ID: guid().default(SANDBOX.licenseSkuId),
    PASSWORD_LENGTH: env.int(12, 64).default(16),

    // The account is the onboarding's critical step and Graph has bad minutes: a transient failure is
    // retried for about 38 minutes (1 s, 5 s, 30 s, 2 min, 5 min, then every 15 min) before the student
    // fails; a permanent one fails at once, and while Graph is down the breaker pauses the queue without
    // counting attempts. The shorter tiers are the ones a deferral (breaker, rate slot) waits in.
    RETRY_DELAYS_MS: env.intList().default(RETRY_DELAYS_MS),

    /** Seals temporary passwords for mail-service (SecretBox). Unset: a dev key, refused for a real Graph. */
    CREDENTIALS_KEY: env.secretKeys().optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.CREDENTIALS_KEY && !isLocal(c.GRAPH_AUTHORITY_HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['CREDENTIALS_KEY'],
        message: 'is required when Graph is not the local sandbox (the dev key would leak every password)',
      });
    }
  });

export type TeamsConfig = z.infer<typeof teamsConfigSchema>;

/** Where the sandbox writes its CA when run from the repository root (apps/sandbox, stateDir var/sandbox). */
export const SANDBOX_CA_FILE = 'var/sandbox/tls/ca.pem';
