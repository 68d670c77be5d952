// The moodle_usuario rows (the Moodle user of each student), read and written in the handler's
// transaction: the caller passes its EntityManager. Plain SQL: one statement each, where TypeORM's
// findOneBy built its query anew every time and save() read the row before writing it.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MoodleUsuario } from './moodle-usuario.entity.js';
import { qualifiedTable } from './qualified-table.js';

const COLUMNAS = `alumno_id AS "alumnoId", username, moodle_user_id AS "moodleUserId", auth, origen,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class MoodleUsuarioRepository {
  /** The user recorded for the student; null when there is none. */
  async delAlumno(m: EntityManager, alumnoId: string): Promise<MoodleUsuario | null> {
    const [fila] = await m.query(
      `SELECT ${COLUMNAS} FROM ${qualifiedTable(m, 'moodle_usuario')} WHERE alumno_id = $1`,
      [alumnoId],
    );
    return fila ?? null;
  }

  /** Inserts or updates the student's row (created_at stays as it was). */
  async guardar(m: EntityManager, u: Omit<MoodleUsuario, 'createdAt'>): Promise<void> {
    await m.query(
      `INSERT INTO ${qualifiedTable(m, 'moodle_usuario')} (alumno_id, username, moodle_user_id, auth, origen, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (alumno_id) DO UPDATE SET username = excluded.username, moodle_user_id = excluded.moodle_user_id,
         auth = excluded.auth, origen = excluded.origen, updated_at = excluded.updated_at`,
      [u.alumnoId, u.username, u.moodleUserId, u.auth, u.origen, u.updatedAt],
    );
  }
}
