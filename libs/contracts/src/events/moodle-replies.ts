import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { alumnoId } from '../common/alumno.js';
import { fallo } from '../common/fallo.js';

/** The student was removed from the listed courses (already absent counts as removed). */
export const MoodleDesenrolado = defineEvent({
  name: 'moodle.desenrolado',
  version: 1,
  schema: z.object({ alumnoId, moodleUserId: z.number().int().positive().nullable(), cursos: z.array(z.string()) }),
});
export type MoodleDesenrolado = EventPayload<typeof MoodleDesenrolado>;

export const MoodleDesenrolamientoFallido = defineEvent({
  name: 'moodle.desenrolamiento-fallido',
  version: 1,
  schema: z.object({ alumnoId, ...fallo }),
});
export type MoodleDesenrolamientoFallido = EventPayload<typeof MoodleDesenrolamientoFallido>;

/**
 * The Moodle user carries the student's data; `suspendido` is what Moodle now says (a leaver cannot log in).
 * `recreado`: a student coming back had no Moodle user (it was deleted with their account): one was made
 * and enrolled as onboarding does.
 */
export const UsuarioMoodleActualizado = defineEvent({
  name: 'moodle.usuario-actualizado',
  version: 1,
  schema: z.object({
    alumnoId,
    moodleUserId: z.number().int().positive().nullable(),
    campos: z.array(z.string()),
    suspendido: z.boolean(),
    recreado: z.boolean().optional(),
  }),
});
export type UsuarioMoodleActualizado = EventPayload<typeof UsuarioMoodleActualizado>;

export const UsuarioMoodleActualizacionFallida = defineEvent({
  name: 'moodle.usuario-actualizacion-fallida',
  version: 1,
  schema: z.object({ alumnoId, ...fallo }),
});
export type UsuarioMoodleActualizacionFallida = EventPayload<typeof UsuarioMoodleActualizacionFallida>;

/** The student's Moodle user was deleted (core_user_delete_users); `yaNoExistia`: Moodle had none to delete. */
export const UsuarioMoodleEliminado = defineEvent({
  name: 'moodle.usuario-eliminado',
  version: 1,
  schema: z.object({ alumnoId, moodleUserId: z.number().int().positive().nullable(), yaNoExistia: z.boolean() }),
});
export type UsuarioMoodleEliminado = EventPayload<typeof UsuarioMoodleEliminado>;

export const UsuarioMoodleEliminacionFallida = defineEvent({
  name: 'moodle.usuario-eliminacion-fallida',
  version: 1,
  schema: z.object({ alumnoId, ...fallo }),
});
export type UsuarioMoodleEliminacionFallida = EventPayload<typeof UsuarioMoodleEliminacionFallida>;

/** The student's courses follow their new estado / periodo: what was enrolled and what unenrolled. */
export const InscripcionesActualizadas = defineEvent({
  name: 'moodle.inscripciones-actualizadas',
  version: 1,
  schema: z.object({
    alumnoId,
    moodleUserId: z.number().int().positive().nullable(),
    enrolados: z.array(z.string()),
    desenrolados: z.array(z.string()),
  }),
});
export type InscripcionesActualizadas = EventPayload<typeof InscripcionesActualizadas>;

export const InscripcionesActualizacionFallida = defineEvent({
  name: 'moodle.inscripciones-actualizacion-fallida',
  version: 1,
  schema: z.object({ alumnoId, ...fallo }),
});
export type InscripcionesActualizacionFallida = EventPayload<typeof InscripcionesActualizacionFallida>;

/** An operator's list of courses, enrolled all or none: `cursos` are those the student is now in. */
export const CursosInscriptos = defineEvent({
  name: 'moodle.cursos-inscriptos',
  version: 1,
  schema: z.object({ alumnoId, moodleUserId: z.number().int().positive(), cursos: z.array(z.string()) }),
});
export type CursosInscriptos = EventPayload<typeof CursosInscriptos>;

export const InscripcionFallida = defineEvent({
  name: 'moodle.inscripcion-fallida',
  version: 1,
  schema: z.object({ alumnoId, ...fallo }),
});
export type InscripcionFallida = EventPayload<typeof InscripcionFallida>;
