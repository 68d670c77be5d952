// core_course_get_courses_by_field: course/externallib.php (core_course_external::get_courses_by_field
// and get_course_structure(false)). A shortname that matches nothing is not an error: the answer is
// {"courses": [], "warnings": []}.
import { multiple, single, value, warnings } from '../moodle.description.js';
import { invalidParameter } from '../moodle.errors.js';
import { cleanParam } from '../moodle.params.js';
import type { MoodleCourse } from '../moodle.store.js';
import type { WsFunction } from '../ws-function.js';

const courseStructure = single({
  id: value('int'),
  fullname: value('text'),
  displayname: value('text'),
  shortname: value('text'),
  courseimage: value('url', 'optional'),
  categoryid: value('int'),
  categoryname: value('text'),
  sortorder: value('int', 'optional'),
  summary: value('raw'),
  summaryformat: value('int'),
  summaryfiles: multiple(single({ filename: value('raw') }), 'optional'),
  overviewfiles: multiple(single({ filename: value('raw') })),
  showactivitydates: value('bool', 'optional'),
  showcompletionconditions: value('bool', 'optional'),
  contacts: multiple(single({ id: value('int'), fullname: value('notags') })),
  enrollmentmethods: multiple(value('plugin')),
  customfields: multiple(
    single({
      name: value('raw'),
      shortname: value('raw'),
      type: value('alphanumext'),
      valueraw: value('raw'),
      value: value('raw'),
    }),
    'optional',
  ),
  idnumber: value('raw', 'optional'),
  format: value('plugin', 'optional'),
  showgrades: value('int', 'optional'),
  newsitems: value('int', 'optional'),
  startdate: value('int', 'optional'),
  enddate: value('int', 'optional'),
  maxbytes: value('int', 'optional'),
  showreports: value('int', 'optional'),
  visible: value('int', 'optional'),
  groupmode: value('int', 'optional'),
  groupmodeforce: value('int', 'optional'),
  defaultgroupingid: value('int', 'optional'),
  enablecompletion: value('int', 'optional'),
  completionnotify: value('int', 'optional'),
  lang: value('safedir', 'optional'),
  theme: value('plugin', 'optional'),
  marker: value('int', 'optional'),
  legacyfiles: value('int', 'optional'),
  calendartype: value('plugin', 'optional'),
  timecreated: value('int', 'optional'),
  timemodified: value('int', 'optional'),
  requested: value('int', 'optional'),
  cacherev: value('int', 'optional'),
  filters: multiple(
    single({ filter: value('plugin'), localstate: value('int'), inheritedstate: value('int') }),
    'optional',
  ),
  courseformatoptions: multiple(single({ name: value('raw'), value: value('raw') }), 'optional'),
});

function courseData(c: MoodleCourse, siteUrl: string) {
  return {
    id: c.id,
    fullname: c.fullname,
    displayname: c.fullname,
    shortname: c.shortname,
    courseimage: `${siteUrl.replace(/\/$/, '')}/course/generated/course.svg`,
    categoryid: c.categoryid,
    categoryname: c.categoryname,
    sortorder: 10000 + c.id,
    summary: c.summary,
    summaryformat: 1,
    summaryfiles: [],
    overviewfiles: [],
    showactivitydates: true,
    showcompletionconditions: true,
    contacts: [],
    enrollmentmethods: c.manualEnrol === 'enabled' ? ['manual'] : [],
    customfields: [],
    idnumber: c.idnumber,
    format: c.format,
    showgrades: 1,
    newsitems: 5,
    startdate: c.startdate,
    enddate: c.enddate,
    maxbytes: 0,
    showreports: 0,
    visible: c.visible ? 1 : 0,
    groupmode: 0,
    groupmodeforce: 0,
    defaultgroupingid: 0,
    enablecompletion: 1,
    completionnotify: 0,
    lang: '',
    theme: '',
    marker: 0,
    legacyfiles: 0,
    calendartype: '',
    timecreated: c.timecreated,
    timemodified: c.timecreated,
    requested: 0,
    cacherev: c.timecreated,
    filters: [
      { filter: 'mathjaxloader', localstate: 0, inheritedstate: 1 },
      { filter: 'activitynames', localstate: 0, inheritedstate: 1 },
    ],
    courseformatoptions: [
      { name: 'hiddensections', value: 1 },
      { name: 'coursedisplay', value: 0 },
    ],
  };
}

export const getCoursesByField: WsFunction = {
  name: 'core_course_get_courses_by_field',
  parameters: single({ field: value('alpha', 'default', ''), value: value('raw', 'default', '') }),
  returns: single({ courses: multiple(courseStructure), warnings: warnings() }),
  execute({ field, value: v }, call) {
    const raw = String(v);
    let match: (c: MoodleCourse) => boolean;
    switch (field) {
      case '':
        match = () => true;
        break;
      case 'id':
        match = (c) => c.id === cleanParam(raw, 'int', call.env);
        break;
      case 'ids': {
        const ids = String(cleanParam(raw, 'sequence', call.env))
          .split(',')
          .filter(Boolean)
          .map(Number);
        match = (c) => ids.includes(c.id);
        break;
      }
      case 'shortname':
        match = (c) => c.shortname === cleanParam(raw, 'text', call.env);
        break;
      case 'idnumber':
        match = (c) => c.idnumber === raw;
        break;
      case 'category':
        match = (c) => c.categoryid === cleanParam(raw, 'int', call.env);
        break;
      default:
        throw invalidParameter('Invalid field name');
    }
    const courses = call.store
      .courses()
      .filter(match)
      .sort((a, b) => a.id - b.id);
    return { courses: courses.map((c) => courseData(c, call.store.config.siteUrl)), warnings: [] };
  },
};
