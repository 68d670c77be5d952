// Undo of an enrolment: remove the student from the courses asked for, or from every course Lucy
// enrolled them in. Never touches an enrolment that was there before Lucy (unless asked by name);
// a course, user or enrolment that is already gone counts as removed.
import { Injectable } from '@nestjs/common';
import type { MoodleDesenrolado } from '@lucy/contracts';
import { PermanentError } from '@lucy/messaging';
import type { EntityManager } from 'typeorm';
import { emailDesdeUpn, UsernameInvalido, usernameDesdeUpn } from '../domain/usuario.js';
import { CursosCatalog } from '../moodle/cursos.catalog.js';
import { MoodleClient } from '../moodle/moodle.client.js';
import { InscripcionRepository } from '../persistence/inscripcion.repository.js';
import { MoodleUsuarioRepository } from '../persistence/moodle-usuario.repository.js';
import { UsuarioMoodleService } from './usuario-moodle.service.js';

export interface SolicitudDesenrolamiento {
  alumnoId: string;
  upn: string;
  cursos?: string[];
}

@Injectable()
export class DesenrolamientoService {
  constructor(
    private readonly usuarios: UsuarioMoodleService,
    private readonly catalog: CursosCatalog,
    private readonly moodle: MoodleClient,
    private readonly inscripciones: InscripcionRepository,
    private readonly registrados: MoodleUsuarioRepository,
  ) {}

  async desenrolar(manager: EntityManager, s: SolicitudDesenrolamiento): Promise<MoodleDesenrolado> {
    const filas = await this.inscripciones.delAlumno(manager, s.alumnoId);
    const porShortname = new Map(filas.map((f) => [f.shortname, f]));
    const shortnames = s.cursos ?? filas.filter((f) => f.estado === 'enrolada').map((f) => f.shortname);
    const moodleUserId = await this.usuarioActual(manager, s);

    if (moodleUserId !== null) {
      const enrolamientos: { userid: number; courseid: number }[] = [];
      for (const shortname of shortnames) {
        // A course that no longer exists holds no enrolment: nothing to remove there.
        const courseId = porShortname.get(shortname)?.courseId ?? (await this.catalog.buscar(shortname))?.courseId;
        if (courseId !== undefined) enrolamientos.push({ userid: moodleUserId, courseid: courseId });
      }
      await this.moodle.desenrolar(enrolamientos);
    }

    const ahora = new Date();
    for (const shortname of shortnames) {
      const fila = porShortname.get(shortname);
      if (fila)
        await this.inscripciones.guardar(manager, {
          ...fila,
          estado: 'desenrolada',
          desenroladaAt: ahora,
          updatedAt: ahora,
        });
    }
    return { alumnoId: s.alumnoId, moodleUserId, cursos: shortnames };
  }

  /** The student's Moodle user as Moodle has it now; null when there is none (nothing to remove). */
  private async usuarioActual(manager: EntityManager, s: SolicitudDesenrolamiento): Promise<number | null> {
    const guardado = await this.registrados.delAlumno(manager, s.alumnoId);
    if (guardado) {
      // An admin may have deleted it since; its enrolments went with it.
      const [vivo] = await this.moodle.usuariosPor('id', [guardado.moodleUserId]);
      return vivo?.id ?? null;
    }
    let username: string;
    try {
      username = usernameDesdeUpn(s.upn);
    } catch (err) {
      if (err instanceof UsernameInvalido) throw new PermanentError(err.message, 'username-invalido');
      throw err;
    }
    return (await this.usuarios.buscar(username, emailDesdeUpn(s.upn)))?.id ?? null;
  }
}
