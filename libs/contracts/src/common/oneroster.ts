// OneRoster 1.1 CSV, as far as Lucy reads it (IMS OneRoster v1.1 Final: CSV Tables, 2017; 1.1.1, 2023):
// the files of a roster zip, their columns in the order the tables give them, and the processing modes the
// manifest declares for each. The gateway checks a zip's manifest and headers with this; ingest-service
// checks every row. Declared once so both read the same specification.

/** CSV Tables, "manifest.csv": each data file is `absent` (not supplied), `bulk` (the whole set) or `delta` (changes). */
export const MODOS_ONEROSTER = ['bulk', 'delta', 'absent'] as const;
export type ModoOneRoster = (typeof MODOS_ONEROSTER)[number];

/** The data files Lucy reads; the zip may carry the others the specification lists (they are noted and ignored). */
export const ARCHIVOS_ONEROSTER = ['academicSessions', 'orgs', 'courses', 'classes', 'users', 'enrollments'] as const;
export type ArchivoOneRoster = (typeof ARCHIVOS_ONEROSTER)[number];

/** Every file a 1.1 manifest declares (CSV Tables, "manifest.csv"): the ones above and those Lucy does not read. */
export const ARCHIVOS_DEL_MANIFIESTO = [
  ...ARCHIVOS_ONEROSTER,
  'categories',
  'classResources',
  'courseResources',
  'demographics',
  'lineItems',
  'resources',
  'results',
] as const;

/**
 * The columns of each file, in the specification's order, and which of them must have a value (its
 * "Required" column). `status` and `dateLastModified` are required in delta mode only (CSV Tables, "Bulk
 * and delta processing"), so they are not listed as required here.
 */
export const COLUMNAS_ONEROSTER: Record<
  ArchivoOneRoster,
  { columnas: readonly string[]; requeridas: readonly string[] }
> = {
  academicSessions: {
    columnas: [
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'type',
      'startDate',
      'endDate',
      'parentSourcedId',
      'schoolYear',
    ],
    requeridas: ['sourcedId', 'title', 'type', 'startDate', 'endDate', 'schoolYear'],
  },
  orgs: {
    columnas: ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'],
    requeridas: ['sourcedId', 'name', 'type'],
  },
  courses: {
    columnas: [
      'sourcedId',
      'status',
      'dateLastModified',
      'schoolYearSourcedId',
      'title',
      'courseCode',
      'grades',
      'orgSourcedId',
      'subjects',
      'subjectCodes',
    ],
    requeridas: ['sourcedId', 'title', 'orgSourcedId'],
  },
  classes: {
    columnas: [
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'grades',
      'courseSourcedId',
      'classCode',
      'classType',
      'location',
      'schoolSourcedId',
      'termSourcedIds',
      'subjects',
      'subjectCodes',
      'periods',
    ],
    requeridas: ['sourcedId', 'title', 'courseSourcedId', 'classType', 'schoolSourcedId', 'termSourcedIds'],
  },
  users: {
    columnas: [
      'sourcedId',
      'status',
      'dateLastModified',
      'enabledUser',
      'orgSourcedIds',
      'role',
      'username',
      'userIds',
      'givenName',
      'familyName',
      'middleName',
      'identifier',
      'email',
      'sms',
      'phone',
      'agentSourcedIds',
      'grades',
      'password',
    ],
    requeridas: ['sourcedId', 'enabledUser', 'orgSourcedIds', 'role', 'username', 'givenName', 'familyName'],
  },
  enrollments: {
    columnas: [
      'sourcedId',
      'status',
      'dateLastModified',
      'classSourcedId',
      'schoolSourcedId',
      'userSourcedId',
      'role',
      'primary',
      'beginDate',
      'endDate',
    ],
    requeridas: ['sourcedId', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role'],
  },
};
