// core_enrol_get_enrolled_users: enrol/externallib.php (core_enrol_external::get_enrolled_users),
// users described by user_get_user_details() with roles and enrolledcourses.
import { multiple, single, value } from '../moodle.description.js';
import { missingRecord } from '../moodle.errors.js';
import type { Validated } from '../moodle.description.js';
import { ROLES, type WsFunction } from '../ws-function.js';
import { userDescription, userDetails } from './user-details.js';

export const getEnrolledUsers: WsFunction = {
  name: 'core_enrol_get_enrolled_users',
  parameters: single({
    courseid: value('int'),
    options: multiple(single({ name: value('alphanumext'), value: value('raw') }), 'default', []),
  }),
  returns: multiple(
    userDescription({
      groups: multiple(
        single({ id: value('int'), name: value('raw'), description: value('raw'), descriptionformat: value('int') }),
        'optional',
      ),
      roles: multiple(
        single({ roleid: value('int'), name: value('raw'), shortname: value('alphanumext'), sortorder: value('int') }),
        'optional',
      ),
      enrolledcourses: multiple(
        single({ id: value('int'), fullname: value('raw'), shortname: value('raw') }),
        'optional',
      ),
    }),
  ),
  execute({ courseid, options }, call) {
    const { store } = call;
    const course = store.course(courseid as number);
    if (!course) throw missingRecord('course', 'SELECT * FROM {course} WHERE id = ?', [courseid as number]);
    const opts = Object.fromEntries(
      (options as Record<string, Validated>[]).map((o) => [String(o.name), String(o.value)]),
    );
    const onlyActive = opts.onlyactive === '1' || opts.onlyactive === 'true';
    const onlySuspended = opts.onlysuspended === '1' || opts.onlysuspended === 'true';
    const limitFrom = Number(opts.limitfrom ?? 0) || 0;
    const limitNumber = Number(opts.limitnumber ?? 0) || 0;
    const sortBy = (opts.sortby ?? 'id') as 'id' | 'firstname' | 'lastname';
    const desc = (opts.sortdirection ?? 'ASC').toUpperCase() === 'DESC';
    const fields = opts.userfields ? new Set(opts.userfields.split(',').map((f) => f.trim())) : null;
    let rows = store
      .enrolments({ courseid: course.id })
      .map((e) => ({ e, u: store.peekUser(e.userid)! }))
      .filter(
        ({ e, u }) =>
          !u.deleted && (!onlyActive || (e.status === 0 && !u.suspended)) && (!onlySuspended || e.status === 1),
      );
    rows.sort((a, b) => {
      const x = sortBy === 'id' ? a.u.id - b.u.id : String(a.u[sortBy]).localeCompare(String(b.u[sortBy]));
      return desc ? -x : x;
    });
    rows = rows.slice(limitFrom, limitNumber ? limitFrom + limitNumber : undefined);
    return rows.map(({ e, u }) => {
      const d: Record<string, unknown> = {
        ...userDetails(u, store),
        // Standard roles have an empty name in the role table: Moodle returns "" and the shortname.
        roles: e.roleids.map((r) => ({
          roleid: r,
          name: '',
          shortname: ROLES[r]?.shortname ?? `role${r}`,
          sortorder: ROLES[r]?.sortorder ?? r,
        })),
        enrolledcourses: store
          .enrolments({ userid: u.id })
          .map((x) => store.course(x.courseid)!)
          .map((c) => ({ id: c.id, fullname: c.fullname, shortname: c.shortname })),
      };
      if (fields) for (const k of Object.keys(d)) if (k !== 'id' && k !== 'fullname' && !fields.has(k)) delete d[k];
      return d;
    });
  },
};
