// The moodle_usuario rows (the Moodle user of each student), read and written in the handler's
// transaction: the caller passes its EntityManager.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MoodleUsuario } from './moodle-usuario.entity.js';

@Injectable()
export class MoodleUsuarioRepository {
  /** The user recorded for the student; null when there is none. */
  delAlumno(m: EntityManager, alumnoId: string): Promise<MoodleUsuario | null> {
    return m.findOneBy(MoodleUsuario, { alumnoId });
  }

  /** Inserts or updates the student's row. */
  async guardar(m: EntityManager, usuario: Omit<MoodleUsuario, 'createdAt'>): Promise<void> {
    await m.save(MoodleUsuario, usuario);
  }
}
