// Enrol a student in their Moodle courses: their user (found or created), the courses (configured
// for their estado and period together with those their source states, or the ones asked for), one enrolment per course, all sent in one call
// (enrol_manual_enrol_users: Moodle makes them all or none). An enrolment that exists is left as it is;
// doing it all twice changes nothing. The course map is the one in force at this moment (an operator may
// change it at runtime): a change reaches the next enrolment and leaves the ones made before it as they are.
import { Injectable, Logger } from '@nestjs/common';
import type { AlumnoDatos, CursosInscriptos, MoodleEnrolado } from '@lucy/contracts';
import { InjectConfig } from '@lucy/platform';
import { RuntimeConfig } from '@lucy/runtime-config';
import type { EntityManager } from 'typeorm';
import type { MoodleConfig } from '../config.js';
import type { RuntimeKey } from '../runtime-keys.js';
import { CursosConfigSchema, cursosDelAlumno } from '../domain/cursos.js';
import { type CursoResuelto, CursosCatalog } from '../moodle/cursos.catalog.js';
import { MoodleClient } from '../moodle/moodle.client.js';
import { InscripcionRepository } from '../persistence/inscripcion.repository.js';
import { type UsuarioResuelto, UsuarioMoodleService } from './usuario-moodle.service.js';

export interface SolicitudEnrolamiento {
  alumnoId: string;
  upn: string;
  alumno: AlumnoDatos;
  /** Shortnames; absent: the student's courses (configured for their estado and periodo, and their source's). */
  cursos?: string[];
}

@Injectable()
export class EnrolamientoService {
  private readonly log = new Logger(EnrolamientoService.name);

  constructor(
    private readonly usuarios: UsuarioMoodleService,
    private readonly catalog: CursosCatalog,
    private readonly moodle: MoodleClient,
    @InjectConfig() private readonly config: MoodleConfig,
    private readonly runtime: RuntimeConfig<RuntimeKey>,
    private readonly inscripciones: InscripcionRepository,
  ) {}

  async enrolar(manager: EntityManager, s: SolicitudEnrolamiento): Promise<MoodleEnrolado> {
    const usuario = await this.usuarios.encontrarOCrear(manager, s.alumnoId, s.upn, s.alumno);
    const shortnames = s.cursos ?? cursosDelAlumno(this.cursosEnVigor(), s.alumno);
    if (shortnames.length === 0)
      this.log.warn(
        { alumnoId: s.alumnoId, estado: s.alumno.estado, periodo: s.alumno.periodo },
        'no Moodle courses for this student (none configured for their estado and periodo, none from their source)',
      );
    const cursos = await this.catalog.resolver(shortnames);
    await this.inscribir(manager, s.alumnoId, usuario, cursos);
    return {
      alumnoId: s.alumnoId,
      moodleUserId: usuario.moodleUserId,
      username: usuario.username,
      cursos: cursos.map(({ shortname, courseId }) => ({ shortname, courseId })),
    };
  }

  /**
   * An operator's chosen courses, all or none: every shortname is resolved before anything is done (an
   * unknown one fails naming it, and no user is created for nothing), then the user is found — or created,
   * as onboarding would, since the operator wants the student in those courses — and every enrolment goes
   * in one call, which Moodle rolls back whole if one fails.
   */
  async enrolarTodos(
    manager: EntityManager,
    s: SolicitudEnrolamiento & { cursos: string[] },
  ): Promise<CursosInscriptos> {
    const cursos = await this.catalog.resolver([...new Set(s.cursos)]);
    const usuario = await this.usuarios.encontrarOCrear(manager, s.alumnoId, s.upn, s.alumno);
    await this.inscribir(manager, s.alumnoId, usuario, cursos);
    return { alumnoId: s.alumnoId, moodleUserId: usuario.moodleUserId, cursos: cursos.map((c) => c.shortname) };
  }

  /** The user in every course (one call for those Lucy enrols), and what Lucy did recorded per course. */
  private async inscribir(
    manager: EntityManager,
    alumnoId: string,
    usuario: UsuarioResuelto,
    cursos: CursoResuelto[],
  ): Promise<void> {
    const previas = new Map((await this.inscripciones.delAlumno(manager, alumnoId)).map((i) => [i.shortname, i]));
    const aEnrolar: CursoResuelto[] = [];
    const preexistentes = new Set<string>();
    for (const curso of cursos) {
      const previa = previas.get(curso.shortname);
      const mismoEnrolamiento = previa?.courseId === curso.courseId && previa.moodleUserId === usuario.moodleUserId;
      if (mismoEnrolamiento && previa?.estado === 'preexistente') preexistentes.add(curso.shortname);
      else if ((mismoEnrolamiento && previa?.estado === 'enrolada') || (await this.sinEnrolar(usuario, curso)))
        aEnrolar.push(curso);
      else preexistentes.add(curso.shortname);
    }
    // Lucy's own enrolments are sent again: Moodle adds nothing for one that exists (see enrolar)
    // and restores one an admin removed since.
    await this.moodle.enrolar(
      this.config.MOODLE_STUDENT_ROLE_ID,
      aEnrolar.map((c) => ({ userid: usuario.moodleUserId, courseid: c.courseId })),
    );

    const ahora = new Date();
    for (const curso of cursos) {
      const previa = previas.get(curso.shortname);
      const preexistente = preexistentes.has(curso.shortname);
      await this.inscripciones.guardar(manager, {
        alumnoId,
        shortname: curso.shortname,
        courseId: curso.courseId,
        moodleUserId: usuario.moodleUserId,
        roleId: this.config.MOODLE_STUDENT_ROLE_ID,
        estado: preexistente ? 'preexistente' : 'enrolada',
        enroladaAt: preexistente
          ? null
          : previa?.estado === 'enrolada' && previa.enroladaAt
            ? previa.enroladaAt
            : ahora,
        desenroladaAt: null,
        updatedAt: ahora,
      });
    }
  }

  /** The map in force, its shortnames trimmed as MOODLE_CURSOS' are (an operator's value passed the same schema as its check). */
  cursosEnVigor() {
    // Parsed once per value the runtime holds (it changes when an operator sets it), not once per student.
    const raw = this.runtime.get('cursos');
    if (this.cursosParseados?.raw !== raw) this.cursosParseados = { raw, cursos: CursosConfigSchema.parse(raw) };
    return this.cursosParseados.cursos;
  }
  private cursosParseados?: { raw: unknown; cursos: ReturnType<typeof CursosConfigSchema.parse> };

  /**
   * True when the user is not enrolled in the course. Asked of Moodle only for a user that existed
   * before: enrolling one that is enrolled already would re-activate a suspended enrolment and add
   * the student role to, say, a teacher — not "left as it is".
   */
  private async sinEnrolar(usuario: UsuarioResuelto, curso: CursoResuelto): Promise<boolean> {
    if (usuario.creadoAhora) return true;
    return !(await this.moodle.idsEnrolados(curso.courseId)).has(usuario.moodleUserId);
  }
}
