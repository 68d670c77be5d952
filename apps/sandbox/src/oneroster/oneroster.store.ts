// The OneRoster stand-in's state: the generated roster (oneroster.generator.ts) and the changes made
// over it by the admin API. Every change stamps dateLastModified with the store's clock, strictly later
// than any stamp before it, so `filter=dateLastModified>'<last run>'` returns exactly what changed since.
// A removal is not a deletion: the object stays with status tobedeleted (the REST binding's way of
// telling a delta reader to drop it), and so do the removed user's enrollments.
import { z } from 'zod';
import { generateRoster } from './oneroster.generator.js';
import { type Enrollment, type Roster, type User, ref } from './oneroster.model.js';
import { NonceCache } from './oauth1.js';
import { TokenIssuer } from './oauth2.js';

export const OneRosterConfigSchema = z
  .object({
    size: z.number().int().min(0).max(100_000).default(60),
    seed: z.number().int().default(2027),
    year: z.number().int().min(2000).max(2100).default(2027),
    /** Which authentication the API accepts: OAuth 1.0a signatures, OAuth 2 bearer tokens, or either. */
    auth: z.enum(['oauth1', 'oauth2', 'either']).default('either'),
    consumerKey: z.string().min(1).default('lucy'),
    consumerSecret: z.string().min(1).default('sandbox-oneroster-secret'),
    clientId: z.string().min(1).default('lucy'),
    clientSecret: z.string().min(1).default('sandbox-oneroster-secret'),
    tokenTtlSeconds: z.number().int().min(1).default(3600),
    /** OAuth 1.0a: accepted difference between oauth_timestamp and the server's clock. */
    timestampWindowSeconds: z.number().int().min(1).default(300),
    /** Largest `limit` honoured; more is served as this many per page (X-Total-Count tells the rest). */
    maxLimit: z.number().int().min(1).default(1000),
    /**
     * Whether a filter may name a dotted field (user.sourcedId): the binding's Filtering examples are on an
     * object's own fields, and a server that filters on those alone answers 400 invalid_filter_field.
     */
    nestedFilterFields: z.boolean().default(true),
  })
  .strict();
export type OneRosterConfig = z.infer<typeof OneRosterConfigSchema>;

export const CambioUsuario = z
  .object({
    givenName: z.string().max(200),
    familyName: z.string().max(200),
    email: z.string().max(320).nullable(),
    username: z.string().max(320),
    identifier: z.string().max(50),
    enabledUser: z.boolean(),
  })
  .partial()
  .strict();
export type CambioUsuario = z.infer<typeof CambioUsuario>;

export const AltaAlumno = z
  .object({
    sourcedId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, . _ -'),
    givenName: z.string().min(1).max(200),
    familyName: z.string().min(1).max(200),
    identifier: z.string().min(1).max(50),
    email: z.string().max(320).optional(),
    /** Classes to enroll the student in (sourcedIds); none by default. */
    classes: z.array(z.string()).default([]),
  })
  .strict();
export type AltaAlumno = z.infer<typeof AltaAlumno>;

/** A request the API answered, as a test asserts on it: what was asked, and with which query. */
export interface Peticion {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

/** Requests kept, the latest last: enough for a run of a test's roster, bounded for a long-lived sandbox. */
const PETICIONES_MAX = 1000;

export class OneRosterStore {
  config: OneRosterConfig;
  roster: Roster;
  /** The latest requests to /ims/oneroster/v1p1 (not /token), oldest first. */
  requests: Peticion[] = [];
  readonly nonces = new NonceCache();
  readonly tokens: TokenIssuer;
  private last = 0;

  constructor(
    initial: Partial<OneRosterConfig> = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.config = OneRosterConfigSchema.parse(initial);
    this.roster = generateRoster(this.config, this.clock());
    this.tokens = new TokenIssuer(clock);
  }

  /** A stamp for a change: now, but always after the previous one (two changes in one ms stay ordered). */
  private stamp(): string {
    const generated = Date.parse(this.roster.users[0]?.dateLastModified ?? '1970-01-01T00:00:00Z');
    this.last = Math.max(this.clock(), this.last + 1, generated + 1);
    return new Date(this.last).toISOString();
  }

  user(sourcedId: string): User | undefined {
    return this.roster.users.find((u) => u.sourcedId === sourcedId);
  }

  change(sourcedId: string, c: CambioUsuario): User | undefined {
    const u = this.user(sourcedId);
    if (!u) return undefined;
    const { email, ...rest } = c;
    Object.assign(u, rest);
    if (email === null) delete u.email;
    else if (email !== undefined) u.email = email;
    u.dateLastModified = this.stamp();
    return u;
  }

  /** The user and their enrollments become tobedeleted. */
  remove(sourcedId: string): { user: User; enrollments: Enrollment[] } | undefined {
    const u = this.user(sourcedId);
    if (!u) return undefined;
    const at = this.stamp();
    Object.assign(u, { status: 'tobedeleted', dateLastModified: at });
    const enrollments = this.roster.enrollments.filter((e) => e.user.sourcedId === sourcedId && e.status === 'active');
    for (const e of enrollments) Object.assign(e, { status: 'tobedeleted', dateLastModified: at });
    return { user: u, enrollments };
  }

  /** A new student (a late admission), enrolled in the given classes. Unknown classes: the list of them. */
  add(a: AltaAlumno): { user: User } | { unknownClasses: string[] } | { exists: true } {
    if (this.user(a.sourcedId)) return { exists: true };
    const unknownClasses = a.classes.filter((c) => !this.roster.classes.some((k) => k.sourcedId === c));
    if (unknownClasses.length) return { unknownClasses };
    const at = this.stamp();
    const school = this.roster.orgs.find((o) => o.type === 'school')!.sourcedId;
    const user: User = {
      sourcedId: a.sourcedId,
      status: 'active',
      dateLastModified: at,
      username: a.identifier,
      userIds: [{ type: 'DNI', identifier: a.identifier }],
      enabledUser: true,
      givenName: a.givenName,
      familyName: a.familyName,
      middleName: '',
      role: 'student',
      identifier: a.identifier,
      ...(a.email === undefined ? {} : { email: a.email }),
      sms: '',
      phone: '',
      agents: [],
      orgs: [ref('org', school)],
      grades: [],
    };
    this.roster.users.push(user);
    const y = String(this.config.year);
    for (const c of a.classes)
      this.roster.enrollments.push({
        sourcedId: `enr-${c.slice(4)}-${a.sourcedId}`,
        status: 'active',
        dateLastModified: at,
        user: ref('user', a.sourcedId),
        class: ref('class', c),
        school: ref('org', school),
        role: 'student',
        primary: false,
        beginDate: `${y}-02-01`,
        endDate: `${y}-07-15`,
      });
    return { user };
  }

  record(p: Peticion): void {
    this.requests.push(p);
    if (this.requests.length > PETICIONES_MAX) this.requests.splice(0, this.requests.length - PETICIONES_MAX);
  }

  update(change: Partial<OneRosterConfig>): OneRosterConfig {
    const before = this.config;
    this.config = OneRosterConfigSchema.parse({ ...this.config, ...change });
    if (before.size !== this.config.size || before.seed !== this.config.seed || before.year !== this.config.year)
      this.roster = generateRoster(this.config, this.clock());
    return this.config;
  }

  reset(initial: Partial<OneRosterConfig>): void {
    this.config = OneRosterConfigSchema.parse(initial);
    this.roster = generateRoster(this.config, this.clock());
    this.tokens.revokeAll();
    this.last = 0;
    this.requests = [];
  }
}

export function oneRosterConfigFromEnv(env: NodeJS.ProcessEnv): Partial<OneRosterConfig> {
  const c: Partial<OneRosterConfig> = {};
  if (env.SANDBOX_ONEROSTER_COHORT) c.size = Number(env.SANDBOX_ONEROSTER_COHORT);
  if (env.SANDBOX_ONEROSTER_SEED) c.seed = Number(env.SANDBOX_ONEROSTER_SEED);
  if (env.SANDBOX_ONEROSTER_KEY) c.consumerKey = c.clientId = env.SANDBOX_ONEROSTER_KEY;
  if (env.SANDBOX_ONEROSTER_SECRET) c.consumerSecret = c.clientSecret = env.SANDBOX_ONEROSTER_SECRET;
  if (env.SANDBOX_ONEROSTER_AUTH) c.auth = env.SANDBOX_ONEROSTER_AUTH as OneRosterConfig['auth'];
  return c;
}
