// The inscripcion rows (one per student and course Lucy looked at), read and written in the handler's
// transaction: the caller passes its EntityManager. Plain SQL: one statement each, where TypeORM's
// findBy built its query anew every time and save() read the row before writing it.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EstadoInscripcion, Inscripcion } from './inscripcion.entity.js';
import { qualifiedTable } from './qualified-table.js';

export type InscripcionNueva = Omit<Inscripcion, 'createdAt'>;

const COLUMNAS = `alumno_id AS "alumnoId", shortname, course_id AS "courseId", moodle_user_id AS "moodleUserId",
  role_id AS "roleId", estado, enrolada_at AS "enroladaAt", desenrolada_at AS "desenroladaAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class InscripcionRepository {
  /** The student's rows, all of them or those in `estado`. */
  delAlumno(m: EntityManager, alumnoId: string, estado?: EstadoInscripcion): Promise<Inscripcion[]> {
    const tabla = qualifiedTable(m, 'inscripcion');
    return estado
      ? m.query(`SELECT ${COLUMNAS} FROM ${tabla} WHERE alumno_id = $1 AND estado = $2`, [alumnoId, estado])
      : m.query(`SELECT ${COLUMNAS} FROM ${tabla} WHERE alumno_id = $1`, [alumnoId]);
  }

  /** Inserts or updates the row of the student and course (created_at stays as it was). */
  async guardar(m: EntityManager, i: InscripcionNueva | Inscripcion): Promise<void> {
    await m.query(
      `INSERT INTO ${qualifiedTable(m, 'inscripcion')}
         (alumno_id, shortname, course_id, moodle_user_id, role_id, estado, enrolada_at, desenrolada_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (alumno_id, shortname) DO UPDATE SET course_id = excluded.course_id,
         moodle_user_id = excluded.moodle_user_id, role_id = excluded.role_id, estado = excluded.estado,
         enrolada_at = excluded.enrolada_at, desenrolada_at = excluded.desenrolada_at, updated_at = excluded.updated_at`,
      [
        i.alumnoId,
        i.shortname,
        i.courseId,
        i.moodleUserId,
        i.roleId,
        i.estado,
        i.enroladaAt,
        i.desenroladaAt,
        i.updatedAt,
      ],
    );
  }
}
