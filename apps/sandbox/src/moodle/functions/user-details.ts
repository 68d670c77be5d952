// user_get_user_details() (user/lib.php) as an administrator sees it, and the user_description()
// return structure of user/externallib.php that core_user_get_users_by_field and
// core_enrol_get_enrolled_users share. Optional fields that are empty are left out, as Moodle does.
import { type Desc, multiple, single, value } from '../moodle.description.js';
import type { MoodleStore, MoodleUser } from '../moodle.store.js';
import { fullname } from '../ws-function.js';

export function userDescription(additional: Record<string, Desc> = {}) {
  return single({
    id: value('int'),
    username: value('username', 'optional'),
    firstname: value('notags', 'optional'),
    lastname: value('notags', 'optional'),
    fullname: value('notags'),
    email: value('raw_trimmed', 'optional'),
    address: value('text', 'optional'),
    phone1: value('notags', 'optional'),
    phone2: value('notags', 'optional'),
    department: value('text', 'optional'),
    institution: value('text', 'optional'),
    idnumber: value('raw', 'optional'),
    interests: value('text', 'optional'),
    firstaccess: value('int', 'optional'),
    lastaccess: value('int', 'optional'),
    auth: value('auth', 'optional'),
    suspended: value('bool', 'optional'),
    confirmed: value('bool', 'optional'),
    lang: value('lang', 'optional'),
    calendartype: value('plugin', 'optional'),
    theme: value('theme', 'optional'),
    timezone: value('timezone', 'optional'),
    mailformat: value('int', 'optional'),
    trackforums: value('int', 'optional'),
    description: value('raw', 'optional'),
    descriptionformat: value('int', 'optional'),
    city: value('text', 'optional'),
    country: value('alpha', 'optional'),
    profileimageurlsmall: value('url'),
    profileimageurl: value('url'),
    customfields: multiple(
      single({
        type: value('alphanumext'),
        value: value('raw'),
        displayvalue: value('raw'),
        name: value('raw'),
        shortname: value('raw'),
      }),
      'optional',
    ),
    preferences: multiple(single({ name: value('raw'), value: value('raw') }), 'optional'),
    ...additional,
  });
}

export function userDetails(u: MoodleUser, store: MoodleStore): Record<string, unknown> {
  const site = store.config.siteUrl.replace(/\/$/, '');
  const d: Record<string, unknown> = {
    id: u.id,
    username: u.username,
    firstname: u.firstname,
    lastname: u.lastname,
    fullname: fullname(u),
    email: u.email,
    department: u.department,
    firstaccess: u.firstaccess,
    lastaccess: u.lastaccess,
    auth: u.auth,
    suspended: u.suspended,
    confirmed: u.confirmed,
    lang: u.lang,
    theme: u.theme,
    timezone: u.timezone,
    mailformat: u.mailformat,
    trackforums: 0,
    description: u.description,
    descriptionformat: 1,
    // The default avatar: a user without a picture gets the theme's f1/f2 image.
    profileimageurlsmall: `${site}/theme/image.php/boost/core/1/f2`,
    profileimageurl: `${site}/theme/image.php/boost/core/1/f1`,
  };
  for (const k of ['address', 'phone1', 'phone2', 'institution', 'idnumber', 'city', 'country'] as const)
    if (u[k]) d[k] = u[k];
  const custom = Object.entries(u.customfields);
  if (custom.length)
    d.customfields = custom.map(([shortname, v]) => ({
      type: 'text',
      value: v,
      displayvalue: v,
      name: shortname,
      shortname,
    }));
  return d;
}
