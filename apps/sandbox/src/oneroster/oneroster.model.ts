// The OneRoster 1.1 data model as the REST binding sends it (IMS OneRoster 1.1 Specification, "Data
// Model": the Base class with sourcedId/status/dateLastModified, GUIDRef {href, sourcedId, type}, and
// the classes User, Org, AcademicSession, Course, Class, Enrollment with their enumerations). Field
// names are the specification's; only what a university's SIS would fill is filled.
export type Status = 'active' | 'tobedeleted';

export interface GuidRef {
  href: string;
  sourcedId: string;
  type: 'org' | 'academicSession' | 'course' | 'class' | 'user';
}

export interface Base {
  sourcedId: string;
  status: Status;
  /** ISO 8601 DateTime in UTC, with milliseconds. */
  dateLastModified: string;
}

export interface Org extends Base {
  name: string;
  /** OrgType: department, school, district, local, state, national. */
  type: 'school' | 'department';
  identifier: string;
  parent: GuidRef | null;
  children: GuidRef[];
}

export interface AcademicSession extends Base {
  title: string;
  startDate: string;
  endDate: string;
  /** SessionType: gradingPeriod, semester, schoolYear, term. */
  type: 'schoolYear' | 'semester';
  parent: GuidRef | null;
  children: GuidRef[];
  schoolYear: string;
}

export interface Course extends Base {
  title: string;
  schoolYear: GuidRef;
  courseCode: string;
  grades: string[];
  subjects: string[];
  org: GuidRef;
}

export interface Class extends Base {
  title: string;
  classCode: string;
  /** ClassType: homeroom, scheduled. */
  classType: 'scheduled';
  location: string;
  grades: string[];
  subjects: string[];
  course: GuidRef;
  school: GuidRef;
  terms: GuidRef[];
}

export interface UserId {
  type: string;
  identifier: string;
}

export interface User extends Base {
  username: string;
  userIds: UserId[];
  enabledUser: boolean;
  givenName: string;
  familyName: string;
  middleName: string;
  /** RoleType (student, teacher, administrator, aide, guardian, parent, proctor, relative). */
  role: 'student' | 'teacher';
  identifier: string;
  /** Absent when the SIS holds none (optional in the model). */
  email?: string;
  sms: string;
  phone: string;
  agents: GuidRef[];
  orgs: GuidRef[];
  grades: string[];
}

export interface Enrollment extends Base {
  user: GuidRef;
  class: GuidRef;
  school: GuidRef;
  role: 'student' | 'teacher';
  primary: boolean;
  beginDate: string;
  endDate: string;
}

export interface Roster {
  orgs: Org[];
  academicSessions: AcademicSession[];
  courses: Course[];
  classes: Class[];
  users: User[];
  enrollments: Enrollment[];
}

export type Collection = keyof Roster;
export const COLLECTIONS: readonly Collection[] = [
  'orgs',
  'academicSessions',
  'courses',
  'classes',
  'users',
  'enrollments',
];

/** GUIDRef: href is the object's URL in this service. */
export const ref = (type: GuidRef['type'], sourcedId: string): GuidRef => {
  const path = type === 'academicSession' ? 'academicSessions' : type === 'class' ? 'classes' : `${type}s`;
  return { href: `/ims/oneroster/v1p1/${path}/${sourcedId}`, sourcedId, type };
};
