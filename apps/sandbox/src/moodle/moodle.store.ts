// The stand-in's Moodle site: users, courses with their enrol instances, enrolments, tokens and the
// site settings that change how Moodle answers. In memory; `transaction()` gives the all-or-nothing
// behaviour of $DB->start_delegated_transaction() that every write function here relies on
// (a batch of 10 enrolments where the 7th fails leaves nothing enrolled): every change made inside one
// is journalled with its undo, so a call costs what it touches, not the size of the site.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export interface MoodleUser {
  id: number;
  username: string;
  auth: string;
  confirmed: boolean;
  suspended: boolean;
  deleted: boolean;
  firstname: string;
  lastname: string;
  email: string;
  idnumber: string;
  lang: string;
  calendartype: string;
  theme: string;
  timezone: string;
  mailformat: number;
  description: string;
  city: string;
  country: string;
  institution: string;
  department: string;
  phone1: string;
  phone2: string;
  address: string;
  firstaccess: number;
  lastaccess: number;
  timecreated: number;
  timemodified: number;
  /** Never the password itself: a SHA-256 so tests can check which password was set. */
  passwordSha256: string | null;
  /** createpassword=1: Moodle would generate one and email it. */
  passwordToBeMailed: boolean;
  preferences: Record<string, string>;
  customfields: Record<string, string>;
}

export interface MoodleCourse {
  id: number;
  shortname: string;
  fullname: string;
  idnumber: string;
  categoryid: number;
  categoryname: string;
  visible: boolean;
  startdate: number;
  enddate: number;
  summary: string;
  format: string;
  /** The course's manual enrol instance: present and enabled, present but disabled, or absent. */
  manualEnrol: 'enabled' | 'disabled' | 'missing';
  timecreated: number;
}

export interface Enrolment {
  userid: number;
  courseid: number;
  roleids: number[];
  timestart: number;
  timeend: number;
  /** ENROL_USER_ACTIVE = 0, ENROL_USER_SUSPENDED = 1. */
  status: 0 | 1;
  timecreated: number;
}

export const TokenSchema = z.object({
  token: z.string().min(1),
  service: z.string().default('lucy'),
  /** Functions of the token's external service; '*' means every function the stand-in implements. */
  functions: z.union([z.literal('*'), z.array(z.string())]).default('*'),
  userid: z.number().int().default(2),
  /** Epoch seconds; 0 = never expires. */
  validuntil: z.number().int().min(0).default(0),
});
export type Token = z.infer<typeof TokenSchema>;

export const PasswordPolicySchema = z.object({
  // lib/moodlelib.php check_password_policy(); defaults are those of a new Moodle site.
  enabled: z.boolean().default(true),
  minLength: z.number().int().min(0).default(8),
  minDigits: z.number().int().min(0).default(1),
  minLower: z.number().int().min(0).default(1),
  minUpper: z.number().int().min(0).default(1),
  minNonAlphanum: z.number().int().min(0).default(1),
  maxConsecutiveIdentChars: z.number().int().min(0).default(0),
});

export const CourseSeedSchema = z.object({
  shortname: z.string().min(1),
  fullname: z.string().optional(),
  idnumber: z.string().default(''),
  categoryname: z.string().default('Ingreso'),
  visible: z.boolean().default(true),
  manualEnrol: z.enum(['enabled', 'disabled', 'missing']).default('enabled'),
});
export type CourseSeed = z.input<typeof CourseSeedSchema>;

export const MoodleConfigSchema = z
  .object({
    siteName: z.string().default('Campus Virtual (sandbox)'),
    siteUrl: z.string().default('http://127.0.0.1:4020'),
    release: z.string().default('4.5.2 (Build: 20250210)'),
    version: z.string().default('2024100702'),
    /** 'none' drops debuginfo; 'normal' adds it; 'developer' also appends it to the message. */
    debug: z.enum(['none', 'normal', 'developer']).default('normal'),
    /** get_class() of core exceptions: 'core\exception\moodle_exception' (4.5+) or 'moodle_exception'. */
    exceptionNaming: z.enum(['namespaced', 'legacy']).default('namespaced'),
    /** Installed auth plugins (core ones plus third-party auth_oidc). mnet and webservice are refused by create_users. */
    auths: z
      .array(z.string())
      .default([
        'manual',
        'nologin',
        'email',
        'db',
        'ldap',
        'lti',
        'mnet',
        'oauth2',
        'oidc',
        'shibboleth',
        'webservice',
        'cas',
        'none',
      ]),
    langs: z.array(z.string()).default(['en', 'es']),
    defaultLang: z.string().default('es'),
    themes: z.array(z.string()).default(['boost', 'classic']),
    allowAccountsSameEmail: z.boolean().default(false),
    passwordPolicy: PasswordPolicySchema.default(PasswordPolicySchema.parse({})),
    /** Site maintenance mode: every call fails with 'sitemaintenance'. */
    maintenance: z.boolean().default(false),
    /** Webservices or the REST protocol disabled: server.php answers 403 with an empty body. */
    restEnabled: z.boolean().default(true),
  })
  .strict();
export type MoodleConfig = z.infer<typeof MoodleConfigSchema>;

export const DEFAULT_COURSES: CourseSeed[] = [
  { shortname: 'ING-2027-INTRO', fullname: 'Ingreso 2027 - Introducción a la vida universitaria' },
  { shortname: 'ING-2027-MATE', fullname: 'Ingreso 2027 - Matemática' },
  { shortname: 'ING-2027-ECO', fullname: 'Ingreso 2027 - Introducción a la Economía' },
  { shortname: 'CP-101', fullname: 'Contabilidad I', categoryname: 'Contador Público' },
  { shortname: 'LE-101', fullname: 'Economía I', categoryname: 'Licenciatura en Economía' },
  { shortname: 'LA-101', fullname: 'Administración I', categoryname: 'Licenciatura en Administración' },
];

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const now = () => Math.floor(Date.now() / 1000);

interface State {
  users: Map<number, MoodleUser>;
  courses: Map<number, MoodleCourse>;
  enrolments: Map<string, Enrolment>;
  /** The keys of `enrolments` per course and per user, in the order the map holds them. */
  enrolmentsByCourse: Map<number, Set<string>>;
  enrolmentsByUser: Map<number, Set<string>>;
  tokens: Map<string, Token>;
  nextUserId: number;
  nextCourseId: number;
}

export interface MoodleCall {
  at: string;
  wsfunction: string;
  ok: boolean;
  errorcode?: string;
}

const INDEXED_FIELDS = ['username', 'email', 'idnumber'] as const;
type IndexedField = (typeof INDEXED_FIELDS)[number];
const indexKey = (field: IndexedField, u: MoodleUser) => (field === 'email' ? u.email.toLowerCase() : u[field]);
const addTo = (index: Map<string, MoodleUser[]>, key: string, u: MoodleUser) => {
  const list = index.get(key);
  if (list) list.push(u);
  else index.set(key, [u]);
};

export class MoodleStore {
  config: MoodleConfig;
  private s!: State;
  /** The open transaction's undo steps (innermost), and the users it has already saved a copy of. */
  private tx?: { undo: (() => void)[]; saved: Set<number> };
  /** The last calls, for the admin API (never the parameters: they may carry passwords). */
  readonly calls: MoodleCall[] = [];
  /**
   * Users by username, lowercased email and idnumber, built when first asked for and dropped whenever a
   * user may change (user(id) hands out a changeable user; a rolled-back transaction puts users back):
   * every create and lookup would otherwise scan a site of tens of thousands of users.
   */
  private index?: Record<IndexedField, Map<string, MoodleUser[]>>;

  constructor(
    private readonly seed: { courses: CourseSeed[]; tokens: Token[]; config?: Partial<MoodleConfig> } = {
      courses: DEFAULT_COURSES,
      tokens: [],
    },
  ) {
    this.config = MoodleConfigSchema.parse(seed.config ?? {});
    this.reset();
  }

  /** Back to the seeded site: admin and guest users, seeded courses and tokens, no enrolments. */
  reset(): void {
    this.index = undefined;
    this.s = {
      users: new Map(),
      courses: new Map(),
      enrolments: new Map(),
      enrolmentsByCourse: new Map(),
      enrolmentsByUser: new Map(),
      tokens: new Map(),
      nextUserId: 1,
      nextCourseId: 2,
    };
    this.insertUser({
      username: 'guest',
      firstname: 'Guest user',
      lastname: ' ',
      email: 'root@localhost',
      auth: 'manual',
    });
    this.insertUser({
      username: 'admin',
      firstname: 'Admin',
      lastname: 'User',
      email: 'admin@sandbox.example',
      auth: 'manual',
    });
    for (const c of this.seed.courses) this.addCourse(c);
    for (const t of this.seed.tokens) this.s.tokens.set(t.token, t);
    this.calls.length = 0;
  }

  /**
   * Runs fn; if it throws, every change it made is undone. Nested, an inner one that throws undoes its own
   * changes only; one that returns hands its undo steps to the outer one. Changes go through this class:
   * insert, set and remove methods, and users handed out by user(id), which may be changed in place.
   */
  transaction<T>(fn: () => T): T {
    const outer = this.tx;
    const tx = { undo: [] as (() => void)[], saved: new Set<number>() };
    this.tx = tx;
    try {
      const result = fn();
      outer?.undo.push(...tx.undo);
      return result;
    } catch (e) {
      for (const step of tx.undo.reverse()) step();
      this.index = undefined;
      throw e;
    } finally {
      this.tx = outer;
    }
  }

  private journal(step: () => void): void {
    this.tx?.undo.push(step);
  }

  // Users ------------------------------------------------------------------------------------------

  insertUser(u: Partial<MoodleUser> & Pick<MoodleUser, 'username' | 'firstname' | 'lastname' | 'email'>): MoodleUser {
    const t = now();
    const nextUserId = this.s.nextUserId;
    const user: MoodleUser = {
      id: this.s.nextUserId++,
      auth: 'manual',
      confirmed: true,
      suspended: false,
      deleted: false,
      idnumber: '',
      lang: this.config.defaultLang,
      calendartype: 'gregorian',
      theme: '',
      timezone: '99',
      mailformat: 1,
      description: '',
      city: '',
      country: '',
      institution: '',
      department: '',
      phone1: '',
      phone2: '',
      address: '',
      firstaccess: 0,
      lastaccess: 0,
      timecreated: t,
      timemodified: t,
      passwordSha256: null,
      passwordToBeMailed: false,
      preferences: {},
      customfields: {},
      ...u,
    };
    this.s.users.set(user.id, user);
    if (this.index) for (const field of INDEXED_FIELDS) addTo(this.index[field], indexKey(field, user), user);
    this.tx?.saved.add(user.id); // nothing of it to restore: it goes
    this.journal(() => {
      this.s.users.delete(user.id);
      this.s.nextUserId = nextUserId;
    });
    return user;
  }

  /** Inside a transaction the user may be changed in place: a copy is kept to put back if it throws. */
  user(id: number): MoodleUser | undefined {
    const user = this.s.users.get(id);
    if (user) this.index = undefined;
    if (user && this.tx && !this.tx.saved.has(id)) {
      this.tx.saved.add(id);
      const before = structuredClone(user);
      this.journal(() => {
        for (const k of Object.keys(user)) delete (user as unknown as Record<string, unknown>)[k];
        Object.assign(user, before);
      });
    }
    return user;
  }

  /** A user to read, not to change (no copy is kept for a rollback): what listings use, a whole course at a time. */
  peekUser(id: number): MoodleUser | undefined {
    return this.s.users.get(id);
  }

  users(): MoodleUser[] {
    return [...this.s.users.values()];
  }

  /** Every user, deleted ones too, whose field is this value (email compared case-insensitively), oldest first. */
  usersWith(field: IndexedField, value: string): MoodleUser[] {
    if (!this.index) {
      const index = { username: new Map(), email: new Map(), idnumber: new Map() };
      for (const u of this.s.users.values()) for (const f of INDEXED_FIELDS) addTo(index[f], indexKey(f, u), u);
      this.index = index;
    }
    return this.index[field].get(field === 'email' ? value.toLowerCase() : value) ?? [];
  }

  // Courses ----------------------------------------------------------------------------------------

  addCourse(seed: CourseSeed): MoodleCourse {
    const c = CourseSeedSchema.parse(seed);
    const nextCourseId = this.s.nextCourseId;
    const course: MoodleCourse = {
      id: this.s.nextCourseId++,
      shortname: c.shortname,
      fullname: c.fullname ?? c.shortname,
      idnumber: c.idnumber,
      categoryid: 1,
      categoryname: c.categoryname,
      visible: c.visible,
      startdate: 1801958400,
      enddate: 1833494400,
      summary: '',
      format: 'topics',
      manualEnrol: c.manualEnrol,
      timecreated: now(),
    };
    this.s.courses.set(course.id, course);
    this.journal(() => {
      this.s.courses.delete(course.id);
      this.s.nextCourseId = nextCourseId;
    });
    return course;
  }

  course(id: number): MoodleCourse | undefined {
    return this.s.courses.get(id);
  }

  courses(): MoodleCourse[] {
    return [...this.s.courses.values()];
  }

  // Enrolments -------------------------------------------------------------------------------------

  enrolment(courseid: number, userid: number): Enrolment | undefined {
    return this.s.enrolments.get(`${courseid}:${userid}`);
  }

  setEnrolment(e: Enrolment): void {
    this.keepEnrolment(`${e.courseid}:${e.userid}`);
    this.putEnrolment(e);
  }

  removeEnrolment(courseid: number, userid: number): boolean {
    this.keepEnrolment(`${courseid}:${userid}`);
    return this.dropEnrolment(`${courseid}:${userid}`);
  }

  /** Enrolments are replaced, never changed in place: the entry as it was is enough to undo. */
  private keepEnrolment(key: string): void {
    if (!this.tx) return;
    const before = this.s.enrolments.get(key);
    this.journal(() => (before ? this.putEnrolment(before) : this.dropEnrolment(key)));
  }

  // The map and its two indexes change together, so a course's or a user's enrolments are found without
  // reading every enrolment of the site (a course of 20,000 students is listed page by page).
  private putEnrolment(e: Enrolment): void {
    const key = `${e.courseid}:${e.userid}`;
    this.s.enrolments.set(key, e);
    const index = (map: Map<number, Set<string>>, id: number) => map.get(id) ?? map.set(id, new Set()).get(id)!;
    index(this.s.enrolmentsByCourse, e.courseid).add(key);
    index(this.s.enrolmentsByUser, e.userid).add(key);
  }

  private dropEnrolment(key: string): boolean {
    const e = this.s.enrolments.get(key);
    if (!e) return false;
    this.s.enrolments.delete(key);
    this.s.enrolmentsByCourse.get(e.courseid)?.delete(key);
    this.s.enrolmentsByUser.get(e.userid)?.delete(key);
    return true;
  }

  enrolments(filter: { courseid?: number; userid?: number } = {}): Enrolment[] {
    const keys =
      filter.courseid !== undefined
        ? this.s.enrolmentsByCourse.get(filter.courseid)
        : filter.userid !== undefined
          ? this.s.enrolmentsByUser.get(filter.userid)
          : this.s.enrolments.keys();
    return [...(keys ?? [])]
      .map((k) => this.s.enrolments.get(k)!)
      .filter((e) => filter.userid === undefined || e.userid === filter.userid);
  }

  // Tokens -----------------------------------------------------------------------------------------

  token(token: string): Token | undefined {
    return this.s.tokens.get(token);
  }

  setToken(t: Token): void {
    const before = this.s.tokens.get(t.token);
    this.journal(() => (before ? this.s.tokens.set(t.token, before) : this.s.tokens.delete(t.token)));
    this.s.tokens.set(t.token, t);
  }

  tokens(): Token[] {
    return [...this.s.tokens.values()];
  }

  recordCall(call: MoodleCall): void {
    this.calls.push(call);
    // Trimmed in chunks: shifting the whole list on every call costs more than the call.
    if (this.calls.length > 6000) this.calls.splice(0, this.calls.length - 5000);
  }
}
