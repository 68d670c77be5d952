import { z } from 'zod';
import { defineCommand, type Payload } from '../message.js';
import { AlumnoDatos, alumnoId } from '../common/alumno.js';
import { MoodleEnrolado } from '../events/moodle-enrolado.js';
import { MoodleFallido } from '../events/moodle-fallido.js';
import {
  CursosInscriptos,
  InscripcionFallida,
  InscripcionesActualizadas,
  InscripcionesActualizacionFallida,
  MoodleDesenrolado,
  MoodleDesenrolamientoFallido,
  UsuarioMoodleActualizacionFallida,
  UsuarioMoodleActualizado,
  UsuarioMoodleEliminacionFallida,
  UsuarioMoodleEliminado,
} from '../events/moodle-replies.js';

/** Enrol (again) in Moodle: an operator's retry after Moodle was down, or a course added later. */
export const EnrolarMoodle = defineCommand({
  name: 'moodle.enrolar',
  version: 1,
  schema: z.object({
    alumnoId,
    upn: z.email(),
    alumno: AlumnoDatos,
    /** Course shortnames; absent means the student's courses (common/cursos.ts cursosDelAlumno: the configuration's for their estado and period, and their source's). */
    cursos: z.array(z.string().min(1)).optional(),
  }),
  replies: [MoodleEnrolado, MoodleFallido],
});
export type EnrolarMoodle = Payload<typeof EnrolarMoodle>;

/** Undo of MoodleEnrolado. Absent `cursos` means every course Lucy enrolled the student in. */
export const DesenrolarMoodle = defineCommand({
  name: 'moodle.desenrolar',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), cursos: z.array(z.string().min(1)).optional() }),
  replies: [MoodleDesenrolado, MoodleDesenrolamientoFallido],
});
export type DesenrolarMoodle = Payload<typeof DesenrolarMoodle>;

/**
 * The student's data changed, or they are leaving or back: the Moodle user (core_user_update_users) gets
 * the new data and, when `suspendido` is given, that suspension. A student with no Moodle user is done —
 * unless `suspendido` is false (they come back and must be able to sign in): their user is then made and
 * enrolled in their courses as onboarding does (its user deleted when they left, say).
 */
export const ActualizarUsuarioMoodle = defineCommand({
  name: 'moodle.actualizar-usuario',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), alumno: AlumnoDatos, suspendido: z.boolean().optional() }),
  replies: [UsuarioMoodleActualizado, UsuarioMoodleActualizacionFallida],
});
export type ActualizarUsuarioMoodle = Payload<typeof ActualizarUsuarioMoodle>;

/**
 * A leaver's grace is over and the configuration says so (moodleAlEliminar: eliminar): their Moodle user
 * is deleted (core_user_delete_users: their enrolments and work go with it). One already gone is done.
 */
export const EliminarUsuarioMoodle = defineCommand({
  name: 'moodle.eliminar-usuario',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email() }),
  replies: [UsuarioMoodleEliminado, UsuarioMoodleEliminacionFallida],
});
export type EliminarUsuarioMoodle = Payload<typeof EliminarUsuarioMoodle>;

/**
 * A new estado, periodo or list of the source's courses (common/cursos.ts cambianLosCursos): enrol the
 * student's courses now; those they had before and no longer have are kept or unenrolled as
 * moodle-service's configuration (cursosAnteriores) says.
 */
export const ActualizarInscripciones = defineCommand({
  name: 'moodle.actualizar-inscripciones',
  version: 1,
  schema: z.object({
    alumnoId,
    upn: z.email(),
    alumno: AlumnoDatos,
    anterior: z.object({
      estado: AlumnoDatos.shape.estado,
      periodo: AlumnoDatos.shape.periodo,
      cursosFuente: AlumnoDatos.shape.cursosFuente,
    }),
  }),
  replies: [InscripcionesActualizadas, InscripcionesActualizacionFallida],
});
export type ActualizarInscripciones = Payload<typeof ActualizarInscripciones>;

/** An operator's chosen courses, all or none: if one cannot be enrolled, none stays. */
export const InscribirCursos = defineCommand({
  name: 'moodle.inscribir-cursos',
  version: 1,
  schema: z.object({
    alumnoId,
    upn: z.email(),
    alumno: AlumnoDatos,
    cursos: z.array(z.string().min(1)).min(1).max(50),
  }),
  replies: [CursosInscriptos, InscripcionFallida],
});
export type InscribirCursos = Payload<typeof InscribirCursos>;
