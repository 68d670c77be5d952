// A student's estado, periodo or source's courses changed: they are enrolled in their courses now (the map in
// force for the new estado/periodo, with their source's), and those they had before and no longer have are
// kept or unenrolled as the runtime key cursosAnteriores says. Only enrolments Lucy made are ever removed: one the student had before Lucy, or
// never had, stays as it is.
import { Injectable } from '@nestjs/common';
import type { ActualizarInscripciones, InscripcionesActualizadas } from '@lucy/contracts';
import { RuntimeConfig } from '@lucy/runtime-config';
import type { EntityManager } from 'typeorm';
import type { RuntimeKey } from '../runtime-keys.js';
import { cambioDeCursos } from '../domain/cursos.js';
import { CursosCatalog } from '../moodle/cursos.catalog.js';
import { InscripcionRepository } from '../persistence/inscripcion.repository.js';
import { MoodleUsuarioRepository } from '../persistence/moodle-usuario.repository.js';
import { DesenrolamientoService } from './desenrolamiento.service.js';
import { EnrolamientoService } from './enrolamiento.service.js';

@Injectable()
export class CambioDeCursosService {
  constructor(
    private readonly enrolamiento: EnrolamientoService,
    private readonly desenrolamiento: DesenrolamientoService,
    private readonly catalog: CursosCatalog,
    private readonly runtime: RuntimeConfig<RuntimeKey>,
    private readonly inscripciones: InscripcionRepository,
    private readonly registrados: MoodleUsuarioRepository,
  ) {}

  async actualizar(manager: EntityManager, c: ActualizarInscripciones): Promise<InscripcionesActualizadas> {
    const { nuevos, aQuitar } = cambioDeCursos(
      this.enrolamiento.cursosEnVigor(),
      c.anterior,
      c.alumno,
      this.runtime.get('cursosAnteriores'),
    );
    // A course of the new set Moodle does not know fails the change before anything is removed.
    await this.catalog.resolver(nuevos);

    const deLucy = new Set(
      (await this.inscripciones.delAlumno(manager, c.alumnoId, 'enrolada')).map((i) => i.shortname),
    );
    const quitar = aQuitar.filter((s) => deLucy.has(s));
    // Removed first, enrolled last: the last Moodle call is the one whose effect a retry cannot mistake
    // for someone else's (an enrolment made just before a failed unenrolment would look pre-existing).
    const desenrolado = quitar.length
      ? await this.desenrolamiento.desenrolar(manager, { alumnoId: c.alumnoId, upn: c.upn, cursos: quitar })
      : undefined;
    // An estado with no courses creates no Moodle user; one with courses does, as onboarding would.
    const enrolado = nuevos.length
      ? await this.enrolamiento.enrolar(manager, { alumnoId: c.alumnoId, upn: c.upn, alumno: c.alumno, cursos: nuevos })
      : undefined;

    const moodleUserId =
      enrolado?.moodleUserId ??
      desenrolado?.moodleUserId ??
      (await this.registrados.delAlumno(manager, c.alumnoId))?.moodleUserId ??
      null;
    return {
      alumnoId: c.alumnoId,
      moodleUserId,
      enrolados: enrolado?.cursos.map((x) => x.shortname) ?? [],
      desenrolados: desenrolado?.cursos ?? [],
    };
  }
}
