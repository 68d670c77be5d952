// core_user_create_users, core_user_get_users_by_field, core_user_update_users, core_user_delete_users:
// user/externallib.php (class core_user_external) with user_create_user / user_update_user /
// user_delete_user from user/lib.php. Parameter types are core_user::get_property_type() (lib/classes/user.php).
import { type Validated, multiple, single, value, warnings } from '../moodle.description.js';
import {
  type MoodleException,
  codingError,
  invalidParameter,
  missingRecord,
  moodleException,
} from '../moodle.errors.js';
import { cleanParam, isValidEmail } from '../moodle.params.js';
import { type MoodleStore, type MoodleUser, sha256 } from '../moodle.store.js';
import { checkPasswordPolicy } from '../password-policy.js';
import { type WsCall, type WsFunction, isGuest, isSiteAdmin } from '../ws-function.js';
import { userDescription, userDetails } from './user-details.js';

type Row = Record<string, Validated>;

/** Auth plugins whose is_internal() is true: they keep the password in Moodle and need one. */
const INTERNAL_AUTHS = new Set(['manual', 'email', 'none']);

const customAndPrefs = {
  customfields: multiple(single({ type: value('alphanumext'), value: value('raw') }), 'optional'),
  preferences: multiple(single({ type: value('raw'), value: value('raw') }), 'optional'),
};

const userFields = (forUpdate: boolean) => ({
  username: forUpdate ? value('username', 'optional', '', false) : value('username'),
  auth: forUpdate ? value('auth', 'optional', '', false) : value('auth', 'default', 'manual', false),
  password: forUpdate ? value('raw', 'optional', '', false) : value('raw', 'optional'),
  firstname: forUpdate ? value('notags', 'optional', '', false) : value('notags'),
  lastname: forUpdate ? value('notags', 'optional') : value('notags'),
  email: forUpdate ? value('raw_trimmed', 'optional', '', false) : value('raw_trimmed'),
  maildisplay: value('int', 'optional'),
  city: value('text', 'optional'),
  country: value('alpha', 'optional'),
  timezone: value('timezone', 'optional'),
  description: value('raw', 'optional'),
  firstnamephonetic: value('notags', 'optional'),
  lastnamephonetic: value('notags', 'optional'),
  middlename: value('notags', 'optional'),
  alternatename: value('notags', 'optional'),
  interests: value('text', 'optional'),
  idnumber: forUpdate ? value('raw', 'optional') : value('raw', 'default', ''),
  institution: value('text', 'optional'),
  department: value('text', 'optional'),
  phone1: value('notags', 'optional'),
  phone2: value('notags', 'optional'),
  address: value('text', 'optional'),
});

/** user_create_user()/user_update_user() username checks (user/lib.php). */
function checkUsername(username: string, call: WsCall): void {
  if (username.trim() === '') throw moodleException('invalidusernameblank', 'error', 'The username cannot be blank');
  if (username !== username.toLowerCase())
    throw moodleException('usernamelowercase', 'error', 'Only lowercase letters allowed');
  if (username !== cleanParam(username, 'username', call.env)) {
    throw moodleException(
      'invalidusername',
      'error',
      'The username can only contain alphanumeric lowercase characters (letter and numbers), underscore (_), hyphen (-), period (.) or at symbol (@).',
    );
  }
}

function checkPassword(password: string, store: MoodleStore): void {
  const errmsg = checkPasswordPolicy(password, store.config.passwordPolicy);
  // moodle_exception($errmsg): no language string has that name, so the message is "error/<div>…".
  if (errmsg) throw moodleException(errmsg, 'error', null);
}

const emailTaken = (store: MoodleStore, email: string, exceptId?: number) =>
  store.users().some((u) => !u.deleted && u.id !== exceptId && u.email.toLowerCase() === email.toLowerCase());

const optionalText = (u: Row, k: string) => (typeof u[k] === 'string' ? (u[k] as string) : undefined);

export const createUsers: WsFunction = {
  name: 'core_user_create_users',
  parameters: single({
    users: multiple(
      single({
        createpassword: value('bool', 'optional'),
        ...userFields(false),
        lang: value('lang', 'default', undefined, false),
        calendartype: value('plugin', 'default', 'gregorian'),
        theme: value('theme', 'optional'),
        mailformat: value('int', 'optional'),
        ...customAndPrefs,
      }),
    ),
  }),
  returns: multiple(single({ id: value('int'), username: value('username') })),
  execute({ users }, call) {
    const { store } = call;
    const available = store.config.auths.filter((a) => a !== 'mnet' && a !== 'webservice');
    return (users as Row[]).map((u) => {
      for (const f of ['username', 'firstname', 'lastname'])
        if (String(u[f]).trim() === '') throw invalidParameter(`The field ${f} cannot be blank`);
      const username = u.username as string;
      if (store.users().some((x) => x.username === username))
        throw invalidParameter(`Username already exists: ${username}`);
      const auth = u.auth as string;
      if (!available.includes(auth)) throw invalidParameter(`Invalid authentication type: ${auth}`);
      const lang = (u.lang as string) || store.config.defaultLang;
      if (!store.config.langs.includes(lang)) throw invalidParameter(`Invalid language code: ${lang}`);
      if (u.theme && !store.config.themes.includes(u.theme as string))
        throw invalidParameter(`Invalid theme: ${u.theme}`);
      const internal = INTERNAL_AUTHS.has(auth);
      if (internal && !u.password && !u.createpassword)
        throw invalidParameter('Invalid password: you must provide a password, or set createpassword.');
      const email = u.email as string;
      if (!isValidEmail(email)) throw invalidParameter(`Email address is invalid: ${email}`);
      if (!store.config.allowAccountsSameEmail && emailTaken(store, email))
        throw invalidParameter(`Email address already exists: ${email}`);
      checkUsername(username, call);
      const createpassword = Boolean(u.createpassword);
      let passwordSha256: string | null = null;
      if (internal && !createpassword && typeof u.password === 'string') {
        checkPassword(u.password, store);
        passwordSha256 = sha256(u.password);
      }
      const created = store.insertUser({
        username,
        auth,
        email,
        lang,
        firstname: u.firstname as string,
        lastname: u.lastname as string,
        idnumber: (u.idnumber as string) ?? '',
        calendartype: (u.calendartype as string) ?? 'gregorian',
        theme: (u.theme as string) ?? '',
        timezone: optionalText(u, 'timezone') ?? '99',
        mailformat: (u.mailformat as number) ?? 1,
        description: optionalText(u, 'description') ?? '',
        city: optionalText(u, 'city') ?? '',
        country: optionalText(u, 'country') ?? '',
        institution: optionalText(u, 'institution') ?? '',
        department: optionalText(u, 'department') ?? '',
        phone1: optionalText(u, 'phone1') ?? '',
        phone2: optionalText(u, 'phone2') ?? '',
        address: optionalText(u, 'address') ?? '',
        passwordSha256,
        passwordToBeMailed: internal && createpassword,
        customfields: Object.fromEntries(
          ((u.customfields as Row[]) ?? []).map((c) => [c.type as string, c.value as string]),
        ),
        preferences: Object.fromEntries(
          ((u.preferences as Row[]) ?? []).map((c) => [c.type as string, c.value as string]),
        ),
      });
      return { id: created.id, username: created.username };
    });
  },
};

export const getUsersByField: WsFunction = {
  name: 'core_user_get_users_by_field',
  parameters: single({ field: value('alpha'), values: multiple(value('raw')) }),
  returns: multiple(userDescription()),
  execute({ field, values }, call) {
    const types = { id: 'int', idnumber: 'raw', username: 'username', email: 'raw_trimmed' } as const;
    const type = types[field as keyof typeof types];
    if (!type)
      throw codingError(
        'invalid field parameter',
        `The search field '${field}' is not supported, look at the web service documentation`,
      );
    const cleaned = (values as string[]).map((v) => {
      const c = cleanParam(v, type, call.env);
      // PHP's loose `$value != $cleanedvalue`: " 5" equals 5, "abc" does not equal 0.
      const same = typeof c === 'number' ? v.trim() !== '' && Number(v) === c : v === c;
      if (!same) throw invalidParameter(`The field '${field}' value is invalid: ${v}(cleaned value: ${c})`);
      return c;
    });
    const wanted = new Set(cleaned.map(String));
    return call.store
      .users()
      .filter((u) => !u.deleted && wanted.has(String(u[field as keyof MoodleUser])))
      .filter((u) => String(u[field as keyof MoodleUser]) !== '')
      .sort((a, b) => a.id - b.id)
      .map((u) => userDetails(u, call.store));
  },
};

export const updateUsers: WsFunction = {
  name: 'core_user_update_users',
  parameters: single({
    users: multiple(
      single({
        id: value('int'),
        ...userFields(true),
        suspended: value('bool', 'optional'),
        userpicture: value('int', 'optional'),
        lang: value('lang', 'optional', '', false),
        calendartype: value('plugin', 'optional', '', false),
        theme: value('theme', 'optional'),
        mailformat: value('int', 'optional'),
        ...customAndPrefs,
      }),
    ),
  }),
  returns: single({ warnings: warnings() }),
  execute({ users }, call) {
    const { store } = call;
    const out: Record<string, unknown>[] = [];
    for (const u of users as Row[]) {
      // Each user in its own transaction; a failure becomes a warning and the next user is tried.
      try {
        store.transaction(() => updateOne(u, call));
      } catch (e) {
        const ex = e as MoodleException;
        out.push({
          item: 'user',
          itemid: u.id,
          warningcode: ex.errorcode,
          message: ex.messageFor(call.env.debug ?? 'none'),
        });
      }
    }
    return { warnings: out };
  },
};

function updateOne(u: Row, call: WsCall): void {
  const { store } = call;
  const existing = store.user(u.id as number);
  if (!existing) throw moodleException('invaliduserid', 'error', 'Invalid user id', 'Invalid user ID');
  if (existing.id !== call.userid && isSiteAdmin(existing))
    throw moodleException(
      'usernotupdatedadmin',
      'error',
      'Cannot update admin accounts',
      'Cannot update admin accounts',
    );
  if (existing.deleted) throw moodleException('usernotupdateddeleted', 'error', null, 'User is a deleted user');
  if (isGuest(existing)) throw moodleException('usernotupdatedguest', 'error', null, 'Cannot update guest account');
  if (typeof u.email === 'string' && u.email !== existing.email) {
    if (!isValidEmail(u.email)) throw moodleException('useremailinvalid', 'error', null, 'Invalid email address');
    if (!store.config.allowAccountsSameEmail && emailTaken(store, u.email, existing.id))
      throw moodleException('useremailduplicate', 'error', 'Duplicate address', 'Duplicate email address');
  }
  if (typeof u.username === 'string') {
    checkUsername(u.username, call);
    // No explicit check in user_update_user(): the unique index on (mnethostid, username) refuses it.
    if (store.users().some((x) => x.id !== existing.id && x.username === u.username))
      throw moodleException('dmlwriteexception', 'error', 'Error writing to database');
  }
  if (typeof u.password === 'string' && u.password !== '') {
    checkPassword(u.password, store);
    existing.passwordSha256 = sha256(u.password);
  }
  for (const k of [
    'username',
    'auth',
    'firstname',
    'lastname',
    'email',
    'idnumber',
    'lang',
    'calendartype',
    'theme',
    'timezone',
    'description',
    'city',
    'country',
    'institution',
    'department',
    'phone1',
    'phone2',
    'address',
  ] as const) {
    if (typeof u[k] === 'string') (existing as unknown as Record<string, unknown>)[k] = u[k];
  }
  if (typeof u.mailformat === 'number') existing.mailformat = u.mailformat;
  if (typeof u.suspended === 'boolean') existing.suspended = u.suspended;
  for (const c of (u.customfields as Row[]) ?? []) existing.customfields[c.type as string] = c.value as string;
  for (const p of (u.preferences as Row[]) ?? []) existing.preferences[p.type as string] = p.value as string;
  existing.timemodified = Math.floor(Date.now() / 1000);
}

// core_user_delete_users (user/externallib.php delete_users): params `userids[0]=…`, one delegated
// transaction for the whole list (the server's store.transaction: one bad id deletes nobody), returns null
// (the REST server prints JSON null). An id that is not there, or deleted already, is get_record(...,
// MUST_EXIST): dml_missing_record_exception as the REST server reports every exception (moodle.errors.ts):
// {"exception":"dml_missing_record_exception","errorcode":"invalidrecord","message":"Can't find data record
// in database table user."[, "debuginfo" with the query when debugging]}.
export const deleteUsers: WsFunction = {
  name: 'core_user_delete_users',
  parameters: single({ userids: multiple(value('int')) }),
  returns: null,
  execute({ userids }, call) {
    const { store } = call;
    for (const id of userids as number[]) {
      const user = store.user(id);
      if (!user || user.deleted)
        throw missingRecord('user', 'SELECT * FROM {user} WHERE id = ? AND deleted = ?', [id, 0]);
      if (isSiteAdmin(user))
        throw moodleException('useradminodelete', 'error', 'Administrator accounts cannot be deleted');
      if (user.id === call.userid)
        throw moodleException('usernotdeletederror', 'error', 'User not deleted - unknown error');
      // user_delete_user() silently refuses the guest account.
      if (isGuest(user)) continue;
      const t = Math.floor(Date.now() / 1000);
      user.deleted = true;
      user.username = cleanParam(`${user.email}.${t}`, 'username', call.env) as string;
      user.email = sha256(user.username).slice(0, 32);
      user.idnumber = '';
      user.timemodified = t;
      for (const e of store.enrolments({ userid: id })) store.removeEnrolment(e.courseid, id);
    }
    return null;
  },
};
