// The OneRoster 1.1 objects the source reads (IMS OneRoster 1.1, Data Model: User, Class, Course,
// Enrollment, Org, AcademicSession),
// validated for what the mapping relies on and otherwise passed through as sent. Servers differ in
// small ways the specification allows or tolerates: enabledUser as a boolean or the text "true"/"false",
// optional fields absent or null, and an object with status tobedeleted sent as a bare stub (sourcedId,
// status, dateLastModified): a delta reader needs nothing more to drop it.
import { z } from 'zod';

const GuidRef = z.looseObject({
  sourcedId: z.string().min(1),
  type: z.string().optional(),
  href: z.string().optional(),
});
const Base = {
  sourcedId: z.string().min(1),
  status: z.enum(['active', 'tobedeleted']),
  dateLastModified: z.string().min(1),
};
const texto = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

const Usuario = z.looseObject({
  ...Base,
  username: texto,
  enabledUser: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .nullish()
    .transform((v) => (v === undefined || v === null ? true : v === true || v === 'true')),
  givenName: z.string(),
  familyName: z.string(),
  middleName: texto,
  role: z.string(),
  identifier: texto,
  email: texto,
  userIds: z
    .array(z.looseObject({ type: z.string(), identifier: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
  orgs: z
    .array(GuidRef)
    .nullish()
    .transform((v) => v ?? []),
});
/** A removed object as some servers send it: only its identity, status and stamp. */
const Baja = z.looseObject({ ...Base, status: z.literal('tobedeleted') });
export type BajaOneRoster = z.infer<typeof Baja>;
const oBaja = <T extends z.ZodType>(full: T) => z.union([full, Baja]);

export const UsuarioOneRoster = oBaja(Usuario);
export type UsuarioOneRoster = z.infer<typeof UsuarioOneRoster>;

const Clase = z.looseObject({
  ...Base,
  title: z.string(),
  classCode: texto,
  course: GuidRef.nullish().transform((v) => v ?? undefined),
  school: GuidRef.nullish().transform((v) => v ?? undefined),
  terms: z
    .array(GuidRef)
    .nullish()
    .transform((v) => v ?? []),
});
export const ClaseOneRoster = oBaja(Clase);
export type ClaseOneRoster = z.infer<typeof ClaseOneRoster>;

// A class's course says its courseCode: what a map from course code to Moodle shortname reads.
const Curso = z.looseObject({
  ...Base,
  title: z.string(),
  courseCode: texto,
  org: GuidRef.nullish().transform((v) => v ?? undefined),
});
export const CursoOneRoster = oBaja(Curso);
export type CursoOneRoster = z.infer<typeof CursoOneRoster>;

const Inscripcion = z.looseObject({
  ...Base,
  user: GuidRef,
  class: GuidRef,
  school: GuidRef.nullish().transform((v) => v ?? undefined),
  role: z.string(),
  primary: z.union([z.boolean(), z.enum(['true', 'false'])]).nullish(),
  beginDate: texto,
  endDate: texto,
});
export const InscripcionOneRoster = oBaja(Inscripcion);
export type InscripcionOneRoster = z.infer<typeof InscripcionOneRoster>;

// What the mapping reads of the reference data: an org's name and type (the carrera), a session's title,
// type and start (the periodo).
const Org = z.looseObject({ ...Base, name: z.string(), type: z.string() });
export const OrgOneRoster = oBaja(Org);
export type OrgOneRoster = z.infer<typeof OrgOneRoster>;

const Sesion = z.looseObject({ ...Base, title: z.string(), type: z.string(), startDate: texto, endDate: texto });
export const SesionOneRoster = oBaja(Sesion);
export type SesionOneRoster = z.infer<typeof SesionOneRoster>;

/** Each collection's envelope name (of a page, and of one object read by its sourcedId) and object schema. */
export const ENVELOPES = {
  students: { envelope: 'users', one: 'user', item: UsuarioOneRoster },
  classes: { envelope: 'classes', one: 'class', item: ClaseOneRoster },
  courses: { envelope: 'courses', one: 'course', item: CursoOneRoster },
  enrollments: { envelope: 'enrollments', one: 'enrollment', item: InscripcionOneRoster },
  orgs: { envelope: 'orgs', one: 'org', item: OrgOneRoster },
  academicSessions: { envelope: 'academicSessions', one: 'academicSession', item: SesionOneRoster },
} as const;
