// The comparison of Lucy's Moodle registry with Moodle, pure: the users Lucy recorded for the students the
// gateway expects, the enrolments Lucy made for them, and who else is enrolled as a student in Lucy's
// courses. Nothing here calls Moodle or decides a repair.
import type { Diferencia } from '@lucy/contracts';
import type { EstadoInscripcion } from '../persistence/inscripcion.entity.js';

export interface UsuarioRegistrado {
  alumnoId: string;
  username: string;
  moodleUserId: number;
}

export interface InscripcionRegistrada {
  alumnoId: string;
  shortname: string;
  courseId: number;
  moodleUserId: number;
  estado: EstadoInscripcion;
}

/** Someone enrolled in a course, as core_enrol_get_enrolled_users lists them. */
export interface Enrolado {
  userId: number;
  username: string | null;
  roles: number[];
}

export interface ComparacionMoodle {
  /** The students settled in Lucy (the gateway's list). */
  alumnos: readonly string[];
  usuarios: readonly UsuarioRegistrado[];
  inscripciones: readonly InscripcionRegistrada[];
  /** The ids of the recorded users Moodle still has (not deleted). */
  existentes: ReadonlySet<number>;
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
  const esperados = new Set(c.alumnos);
  const usuarioDe = new Map(c.usuarios.map((u) => [u.alumnoId, u]));
  const faltan = new Set<string>();

  for (const u of c.usuarios) {
    if (!esperados.has(u.alumnoId) || c.existentes.has(u.moodleUserId)) continue;
    faltan.add(u.alumnoId);
    diferencias.push({
      alumnoId: u.alumnoId,
      tipo: 'moodle_usuario_faltante',
      referencia: u.username,
      esperado: `${u.username} (${u.moodleUserId})`,
      encontrado: null,
    });
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
