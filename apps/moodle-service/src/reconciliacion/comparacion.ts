// The comparison of Lucy's Moodle registry with Moodle, pure: the users Lucy recorded for the students the
// gateway expects (there, suspended or not as the student must be, with the profile Lucy gives them), the
// enrolments Lucy made for them, and who else is enrolled as a student in Lucy's courses. Nothing here calls
// Moodle or decides a repair.
import type { AlumnoEsperado, Diferencia } from '@lucy/contracts';
import { CAMPOS_DEL_PERFIL, perfilMoodle, usernameDesdeUpn, type CampoDelPerfil } from '../domain/usuario.js';
import type { EstadoInscripcion } from '../persistence/inscripcion.entity.js';
import type { OrigenUsuario } from '../persistence/moodle-usuario.entity.js';

export interface UsuarioRegistrado {
  alumnoId: string;
  username: string;
  moodleUserId: number;
  origen: OrigenUsuario;
}

export interface InscripcionRegistrada {
  alumnoId: string;
  shortname: string;
  courseId: number;
  moodleUserId: number;
  estado: EstadoInscripcion;
}

/** A recorded user as core_user_get_users_by_field answers for it: a field Moodle left out is undefined. */
export type UsuarioEnMoodle = { id: number; suspended?: boolean } & Partial<Record<CampoDelPerfil, string>>;

/** Someone enrolled in a course, as core_enrol_get_enrolled_users lists them. */
export interface Enrolado {
  userId: number;
  username: string | null;
  roles: number[];
}

export interface ComparacionMoodle {
  /** The students settled in Lucy, as the gateway expects them. */
  alumnos: readonly AlumnoEsperado[];
  usuarios: readonly UsuarioRegistrado[];
  inscripciones: readonly InscripcionRegistrada[];
  /** The recorded users Moodle still has (not deleted), by id. */
  existentes: ReadonlyMap<number, UsuarioEnMoodle>;
  /** Per course id of Lucy's courses: everyone enrolled. */
  enrolados: ReadonlyMap<number, readonly Enrolado[]>;
  /** The role Lucy enrols students with: others in the course (teachers) are nobody's business here. */
  rolAlumno: number;
}

/** The courses to read: every course Lucy enrolled someone in (the courses of its map in use). */
export function cursosDeLucy(inscripciones: readonly InscripcionRegistrada[]): Map<number, string> {
  return new Map(inscripciones.map((i) => [i.courseId, i.shortname]));
}

export function compararMoodle(c: ComparacionMoodle): Diferencia[] {
  const diferencias: Diferencia[] = [];
  const esperados = new Set(c.alumnos.map((a) => a.alumnoId));
  const usuarioDe = new Map(c.usuarios.map((u) => [u.alumnoId, u]));
  const faltan = new Set<string>();

  for (const a of c.alumnos) {
    const u = usuarioDe.get(a.alumnoId);
    if (!u) {
      // Settled without a Moodle user recorded (onboarding completed with Moodle's step failed, say).
      const username = usernameOUpn(a.upn);
      faltan.add(a.alumnoId);
      diferencias.push({
        alumnoId: a.alumnoId,
        tipo: 'moodle_usuario_faltante',
        referencia: username,
        esperado: `${username} (Lucy no tiene registrado su usuario de Moodle)`,
        encontrado: null,
      });
      continue;
    }
    const enMoodle = c.existentes.get(u.moodleUserId);
    if (!enMoodle) {
      faltan.add(a.alumnoId);
      diferencias.push({
        alumnoId: a.alumnoId,
        tipo: 'moodle_usuario_faltante',
        referencia: u.username,
        esperado: `${u.username} (${u.moodleUserId})`,
        encontrado: null,
      });
      continue;
    }
    diferencias.push(...delUsuario(a, u, enMoodle));
  }

  const enCurso = new Map([...c.enrolados].map(([curso, gente]) => [curso, new Set(gente.map((g) => g.userId))]));
  for (const i of c.inscripciones) {
    // A missing user's enrolments went with it: repairing the user brings them back.
    if (i.estado !== 'enrolada' || !esperados.has(i.alumnoId) || faltan.has(i.alumnoId)) continue;
    if (enCurso.get(i.courseId)?.has(i.moodleUserId)) continue;
    const username = usuarioDe.get(i.alumnoId)?.username ?? String(i.moodleUserId);
    diferencias.push({
      alumnoId: i.alumnoId,
      tipo: 'inscripcion_faltante',
      referencia: `${username}@${i.shortname}`,
      esperado: i.shortname,
      encontrado: null,
      curso: i.shortname,
    });
  }

  // Orphans: a student of Lucy's courses whose enrolment Lucy neither made nor found there before it.
  const deLucy = new Set(
    c.inscripciones.filter((i) => i.estado !== 'desenrolada').map((i) => `${i.moodleUserId}:${i.courseId}`),
  );
  const shortnames = cursosDeLucy(c.inscripciones);
  for (const [curso, gente] of c.enrolados) {
    for (const g of gente) {
      if (!g.roles.includes(c.rolAlumno) || deLucy.has(`${g.userId}:${curso}`)) continue;
      const shortname = shortnames.get(curso) ?? String(curso);
      const quien = g.username ?? String(g.userId);
      diferencias.push({
        alumnoId: null,
        tipo: 'huerfano',
        referencia: `${quien}@${shortname}`,
        esperado: null,
        encontrado: `${quien} (${g.userId}) en ${shortname}`,
        curso: shortname,
      });
    }
  }
  return diferencias;
}

/**
 * A recorded user Moodle has: suspended when the student must sign in (or the reverse, while they are on
 * leave), and the profile Lucy gives a user it created (perfilMoodle: what core_user_create_users and
 * core_user_update_users are sent) with other values. A user Lucy found was taken as it was, so its profile
 * is not Lucy's to compare; the username, auth and time zone are set once at creation, never written again.
 * A field or state Moodle's answer leaves out (a token that may not see it) is not a difference.
 */
function delUsuario(a: AlumnoEsperado, u: UsuarioRegistrado, m: UsuarioEnMoodle): Diferencia[] {
  const base = { alumnoId: a.alumnoId, referencia: u.username };
  const out: Diferencia[] = [];
  if (a.cuenta === 'habilitada' && m.suspended === true)
    out.push({ ...base, tipo: 'cuenta_deshabilitada', esperado: 'activo', encontrado: 'suspendido' });
  if (a.cuenta === 'deshabilitada' && m.suspended === false)
    out.push({ ...base, tipo: 'cuenta_habilitada', esperado: 'suspendido', encontrado: 'activo' });
  const perfil = u.origen === 'creado' ? perfilOUndefined(a) : undefined;
  if (!perfil) return out;
  const campos = CAMPOS_DEL_PERFIL.filter((k) => m[k] !== undefined && m[k] !== perfil[k]);
  if (campos.length)
    out.push({
      ...base,
      tipo: 'datos_distintos',
      campos: [...campos],
      esperado: campos
        .map((k) => `${k}=${perfil[k]}`)
        .join('; ')
        .slice(0, 1000),
      encontrado: campos
        .map((k) => `${k}=${m[k] || '(vacío)'}`)
        .join('; ')
        .slice(0, 1000),
    });
  return out;
}

/** What Lucy would send; a student whose UPN or name Moodle cannot take has no profile to compare. */
function perfilOUndefined(a: AlumnoEsperado) {
  try {
    return perfilMoodle(a.upn, a.alumno);
  } catch {
    return undefined;
  }
}

function usernameOUpn(upn: string): string {
  try {
    return usernameDesdeUpn(upn);
  } catch {
    return upn.toLowerCase();
  }
}
