// moodle-service's environment variables, checked once at boot. The keys an operator changes at run
// time are in runtime-keys.ts.
import { baseConfigSchema, env } from '@lucy/platform';
import { dependencyEnv, resilienceEnv } from '@lucy/resilience';
import { z } from 'zod';
import { CursosConfigSchema, problemaCursos } from './domain/cursos.js';
import { problemaZonaHoraria, ZONA_DEL_SERVIDOR } from './domain/zona-horaria.js';

/** The sandbox's Moodle stand-in course map: works out of the box against `npm run sandbox`; set MOODLE_CURSOS for a real site. */
const CURSOS_SANDBOX =
  '{"aspirante":{"*":["ING-2027-INTRO"]},"preinscripto":{"*":["ING-2027-INTRO","ING-2027-MATE"]},"ingresante":{"*":["ING-2027-INTRO","ING-2027-MATE","ING-2027-ECO"]}}';

/** MOODLE_CURSOS (or MOODLE_CURSOS_FILE): JSON `{ estado: { periodo | "*": [shortname, ...] } }`. */
const cursosJson = () =>
  z.string().transform((raw, ctx) => {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be JSON like {"ingresante":{"2027":["ING-2027-INTRO"]},"aspirante":{"*":["ING-AMBIENTACION"]}}',
      });
      return z.NEVER;
    }
    const problema = problemaCursos(json);
    if (problema) {
      ctx.addIssue({ code: 'custom', message: problema });
      return z.NEVER;
    }
    return CursosConfigSchema.parse(json);
  });

/** moodle-service: the shared variables (see README) with this service's defaults, and its own. */
export const moodleConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: env.string().default('moodle-service'),
  PORT: env.port().default(3003),
  DB_SCHEMA: env.identifier().default('moodle'),

  /** The site's root (wwwroot); the REST endpoint is <MOODLE_URL>/webservice/rest/server.php. */
  MOODLE_URL: env.url(['http', 'https']).default('http://127.0.0.1:4020'),
  /** A web service token of a service that allows the functions in moodle/moodle.client.ts (or MOODLE_TOKEN_FILE). */
  MOODLE_TOKEN: env.string().default('sandbox-moodle-token'),
  /** Whole-call deadline of one web service call. */
  MOODLE_TIMEOUT_MS: env.int(100, 600_000).default(15_000),
  // REDIS_URL, RATE_LIMIT_REPLICAS, MOODLE_RATE_PRESET, MOODLE_RPM, MOODLE_BREAKER_* (libs/resilience/README.md);
  // the breaker's deadline sits above MOODLE_TIMEOUT_MS, so a slow answer fails as our own timeout first.
  ...resilienceEnv(),
  ...dependencyEnv('MOODLE', { timeoutMs: 20_000 }),
  // MOODLE_AUTH, MOODLE_CURSOS, MOODLE_CURSOS_ANTERIORES and MOODLE_TIMEZONE hold until an operator sets
  // moodleAuth, cursos, cursosAnteriores or zonaHoraria (runtime-keys.ts).
  /** Auth plugin of the users Lucy creates: oauth2 (sign in with Microsoft), manual (a generated password), oidc (auth_oidc plugin). */
  MOODLE_AUTH: z.enum(['oauth2', 'manual', 'oidc'], { error: 'must be oauth2, manual or oidc' }).default('oauth2'),
  MOODLE_CURSOS: cursosJson().default(() => CursosConfigSchema.parse(JSON.parse(CURSOS_SANDBOX))),
  /** A new estado or periodo: the previous one's courses the new one does not list are kept, or unenrolled (those Lucy enrolled). */
  MOODLE_CURSOS_ANTERIORES: z
    .enum(['conservar', 'desenrolar'], { error: 'must be conservar or desenrolar' })
    .default('conservar'),
  /** IANA time zone of the users Lucy creates; 99: the Moodle server's (what a user gets when none is sent). */
  MOODLE_TIMEZONE: z
    .string()
    .trim()
    .superRefine((zona, ctx) => {
      const problema = problemaZonaHoraria(zona);
      if (problema) ctx.addIssue({ code: 'custom', message: problema });
    })
    .default(ZONA_DEL_SERVIDOR),
  /** Role given by enrol_manual_enrol_users: 5 is "student" on a standard site. */
  MOODLE_STUDENT_ROLE_ID: env.int(1).default(5),
  /** How long a course shortname → id lookup is trusted. */
  MOODLE_COURSE_CACHE_TTL_MS: env.int(0).default(600_000),
});

export type MoodleConfig = z.infer<typeof moodleConfigSchema>;
