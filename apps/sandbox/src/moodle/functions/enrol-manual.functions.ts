// enrol_manual_enrol_users and enrol_manual_unenrol_users: enrol/manual/externallib.php, strings from
// enrol/manual/lang/en/enrol_manual.php. Both return nothing (JSON null) and stop at the first error,
// rolling back the whole batch (delegated transaction).
import { multiple, single, value } from '../moodle.description.js';
import { codingError, invalidParameter, missingRecord, moodleException } from '../moodle.errors.js';
import type { Validated } from '../moodle.description.js';
import { ROLES, type WsFunction } from '../ws-function.js';

type Row = Record<string, Validated>;

export const enrolUsers: WsFunction = {
  name: 'enrol_manual_enrol_users',
  parameters: single({
    enrolments: multiple(
      single({
        roleid: value('int'),
        userid: value('int'),
        courseid: value('int'),
        timestart: value('int', 'optional'),
        timeend: value('int', 'optional'),
        suspend: value('int', 'optional'),
      }),
    ),
  }),
  returns: null,
  execute({ enrolments }, call) {
    const { store } = call;
    for (const e of enrolments as Row[]) {
      const courseid = e.courseid as number;
      const userid = e.userid as number;
      const roleid = e.roleid as number;
      const course = store.course(courseid);
      // context_course::instance($courseid, IGNORE_MISSING) is false, validate_context(false) throws.
      if (!course) throw invalidParameter('Context does not exist');
      if (!ROLES[roleid]?.courseAssignable) {
        throw moodleException(
          'wsusercannotassign',
          'enrol_manual',
          `You don't have the permission to assign this role (${roleid}) to this user (${userid}) in this course(${courseid}).`,
        );
      }
      if (course.manualEnrol !== 'enabled') {
        throw moodleException(
          'wsnoinstance',
          'enrol_manual',
          `Manual enrolment plugin instance doesn't exist or is disabled for the course (id = ${courseid})`,
        );
      }
      // enrol_user() then role_assign() (lib/accesslib.php), which refuses a missing or deleted user.
      const user = store.peekUser(userid);
      if (!user || user.deleted) throw codingError('User ID does not exist or is deleted!', `userid:${userid}`);
      const existing = store.enrolment(courseid, userid);
      // An existing enrolment is updated (times, status) and the role added if missing: no error.
      store.setEnrolment({
        userid,
        courseid,
        roleids: existing ? [...new Set([...existing.roleids, roleid])] : [roleid],
        timestart: (e.timestart as number) ?? existing?.timestart ?? 0,
        timeend: (e.timeend as number) ?? existing?.timeend ?? 0,
        status: e.suspend ? 1 : 0,
        timecreated: existing?.timecreated ?? Math.floor(Date.now() / 1000),
      });
    }
    return null;
  },
};

export const unenrolUsers: WsFunction = {
  name: 'enrol_manual_unenrol_users',
  parameters: single({
    enrolments: multiple(single({ userid: value('int'), courseid: value('int'), roleid: value('int', 'optional') })),
  }),
  returns: null,
  execute({ enrolments }, call) {
    const { store } = call;
    for (const e of enrolments as Row[]) {
      const courseid = e.courseid as number;
      const userid = e.userid as number;
      const course = store.course(courseid);
      // context_course::instance($courseid) with MUST_EXIST here (unlike enrol_users).
      if (!course) throw missingRecord('course', 'SELECT id,category FROM {course} WHERE id = ?', [courseid]);
      if (course.manualEnrol === 'missing') {
        throw moodleException(
          'wsnoinstance',
          'enrol_manual',
          `Manual enrolment plugin instance doesn't exist or is disabled for the course (id = ${courseid})`,
        );
      }
      const user = store.peekUser(userid);
      if (!user) throw invalidParameter(`User id not exist: ${userid}`);
      // unenrol_user() of a user who is not enrolled does nothing.
      store.removeEnrolment(courseid, userid);
    }
    return null;
  },
};
