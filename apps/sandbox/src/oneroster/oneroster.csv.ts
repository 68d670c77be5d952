// The same roster as a OneRoster 1.1 CSV package (IMS OneRoster 1.1, CSV binding): manifest.csv
// (propertyName,value: manifest.version 1.0, oneroster.version 1.1, file.<name> = bulk|delta|absent,
// source.systemName) and one file per collection with the binding's column order. In bulk the status
// and dateLastModified columns stay blank (the whole file is the truth); in delta only the rows changed
// after `since` are written, with their status (active|tobedeleted) and dateLastModified, and a file
// with no change is declared absent. Lists (orgSourcedIds, termSourcedIds, grades) are comma-separated
// inside one field; userIds are {type:identifier} items; booleans are true/false.
import type { Collection, GuidRef, Roster, UserId } from './oneroster.model.js';

type Row = Record<string, unknown>;
type Column = [header: string, value: (r: Row) => unknown];

const id = (k: string) => (r: Row) => (r[k] as GuidRef | null)?.sourcedId ?? '';
const ids = (k: string) => (r: Row) => ((r[k] as GuidRef[] | undefined) ?? []).map((g) => g.sourcedId).join(',');
const plain = (k: string) => (r: Row) => r[k];
const list = (k: string) => (r: Row) => ((r[k] as string[] | undefined) ?? []).join(',');

/** The column order of each file, as the CSV binding lists it. */
const FILES: Record<Collection, Column[]> = {
  orgs: [
    ['name', plain('name')],
    ['type', plain('type')],
    ['identifier', plain('identifier')],
    ['parentSourcedId', id('parent')],
  ],
  academicSessions: [
    ['title', plain('title')],
    ['type', plain('type')],
    ['startDate', plain('startDate')],
    ['endDate', plain('endDate')],
    ['parentSourcedId', id('parent')],
    ['schoolYear', plain('schoolYear')],
  ],
  courses: [
    ['schoolYearSourcedId', id('schoolYear')],
    ['title', plain('title')],
    ['courseCode', plain('courseCode')],
    ['grades', list('grades')],
    ['orgSourcedId', id('org')],
    ['subjects', list('subjects')],
    ['subjectCodes', list('subjectCodes')],
  ],
  classes: [
    ['title', plain('title')],
    ['grades', list('grades')],
    ['courseSourcedId', id('course')],
    ['classCode', plain('classCode')],
    ['classType', plain('classType')],
    ['location', plain('location')],
    ['schoolSourcedId', id('school')],
    ['termSourcedIds', ids('terms')],
    ['subjects', list('subjects')],
    ['subjectCodes', list('subjectCodes')],
    ['periods', list('periods')],
  ],
  users: [
    ['enabledUser', plain('enabledUser')],
    ['orgSourcedIds', ids('orgs')],
    ['role', plain('role')],
    ['username', plain('username')],
    ['userIds', (r) => ((r.userIds as UserId[]) ?? []).map((u) => `{${u.type}:${u.identifier}}`).join(',')],
    ['givenName', plain('givenName')],
    ['familyName', plain('familyName')],
    ['middleName', plain('middleName')],
    ['identifier', plain('identifier')],
    ['email', plain('email')],
    ['sms', plain('sms')],
    ['phone', plain('phone')],
    ['agentSourcedIds', ids('agents')],
    ['grades', list('grades')],
    ['password', () => ''],
  ],
  enrollments: [
    ['classSourcedId', id('class')],
    ['schoolSourcedId', id('school')],
    ['userSourcedId', id('user')],
    ['role', plain('role')],
    ['primary', plain('primary')],
    ['beginDate', plain('beginDate')],
    ['endDate', plain('endDate')],
  ],
};

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
const field = (v: unknown): string => {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const line = (vs: unknown[]) => `${vs.map(field).join(',')}\r\n`;

export type CsvMode = { mode: 'bulk' } | { mode: 'delta'; since: Date };

/** Every file of the package, by name (manifest.csv first). */
export function csvPackage(roster: Roster, m: CsvMode): Map<string, string> {
  const files = new Map<string, string>();
  const declared: [string, string][] = [];
  for (const name of Object.keys(FILES) as Collection[]) {
    const rows = (roster[name] as unknown as Row[]).filter(
      (r) => m.mode === 'bulk' || Date.parse(r.dateLastModified as string) > m.since.getTime(),
    );
    if (m.mode === 'delta' && rows.length === 0) {
      declared.push([`file.${name}`, 'absent']);
      continue;
    }
    declared.push([`file.${name}`, m.mode]);
    const cols = FILES[name];
    let text = line(['sourcedId', 'status', 'dateLastModified', ...cols.map(([h]) => h)]);
    for (const r of rows)
      text += line([
        r.sourcedId,
        m.mode === 'bulk' ? '' : r.status,
        m.mode === 'bulk' ? '' : r.dateLastModified,
        ...cols.map(([, v]) => v(r)),
      ]);
    files.set(`${name}.csv`, text);
  }
  const absent = [
    'categories',
    'classResources',
    'courseResources',
    'demographics',
    'lineItems',
    'resources',
    'results',
  ];
  const manifest =
    line(['propertyName', 'value']) +
    [
      ['manifest.version', '1.0'],
      ['oneroster.version', '1.1'],
      ...declared,
      ...absent.map((f) => [`file.${f}`, 'absent']),
      ['source.systemName', 'Lucy sandbox OneRoster'],
      ['source.systemCode', 'sandbox'],
    ]
      .map(line)
      .join('');
  return new Map([['manifest.csv', manifest], ...files]);
}
