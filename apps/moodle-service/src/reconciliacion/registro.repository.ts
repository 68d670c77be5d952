// What the reconciliation reads of this service's registry: every Moodle user and enrolment Lucy recorded.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Inscripcion } from '../persistence/inscripcion.entity.js';
import { MoodleUsuario } from '../persistence/moodle-usuario.entity.js';
import type { InscripcionRegistrada, UsuarioRegistrado } from './comparacion.js';

@Injectable()
export class RegistroMoodleRepository {
  async leer(m: EntityManager): Promise<{ usuarios: UsuarioRegistrado[]; inscripciones: InscripcionRegistrada[] }> {
    const usuarios = await m.find(MoodleUsuario);
    const inscripciones = await m.find(Inscripcion);
    return {
      usuarios: usuarios.map(({ alumnoId, username, moodleUserId, origen }) => ({
        alumnoId,
        username,
        moodleUserId,
        origen,
      })),
      inscripciones: inscripciones.map(({ alumnoId, shortname, courseId, moodleUserId, estado }) => ({
        alumnoId,
        shortname,
        courseId,
        moodleUserId,
        estado,
      })),
    };
  }
}
