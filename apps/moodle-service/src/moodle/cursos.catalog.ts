// Course shortname → Moodle course id. Shortnames are what the configuration and operators speak;
// Moodle's enrol functions want ids. Each shortname is asked once and the answer kept for
// MOODLE_COURSE_CACHE_TTL_MS (per process); an unknown shortname is not kept, so a course created
// after a failure is found on the operator's retry.
import { Injectable } from '@nestjs/common';
import { PermanentError } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { MoodleConfig } from '../config.js';
import { MoodleClient } from './moodle.client.js';

export interface CursoResuelto {
  shortname: string;
  courseId: number;
}

@Injectable()
export class CursosCatalog {
  private readonly cache = new Map<string, { courseId: number; until: number }>();
  /** The clock; tests move it. */
  now: () => number = Date.now;

  constructor(
    private readonly moodle: MoodleClient,
    @InjectConfig() private readonly config: MoodleConfig,
  ) {}

  /** Each shortname with its course id, in order; an unknown one returns undefined. */
  async buscar(shortname: string): Promise<CursoResuelto | undefined> {
    const hit = this.cache.get(shortname);
    if (hit && hit.until > this.now()) return { shortname, courseId: hit.courseId };
    const found = await this.moodle.cursosPorShortname(shortname);
    if (found.length === 0) return undefined;
    // Moodle's UI keeps shortnames unique, but the database does not enforce it.
    if (found.length > 1)
      throw new PermanentError(`Moodle has ${found.length} courses with shortname ${shortname}`, 'curso-ambiguo');
    this.cache.set(shortname, { courseId: found[0].id, until: this.now() + this.config.MOODLE_COURSE_CACHE_TTL_MS });
    return { shortname, courseId: found[0].id };
  }

  /** Every shortname resolved, or a PermanentError naming each unknown one (a configuration error). */
  async resolver(shortnames: string[]): Promise<CursoResuelto[]> {
    const cursos: CursoResuelto[] = [];
    const desconocidos: string[] = [];
    for (const s of shortnames) {
      const c = await this.buscar(s);
      if (c) cursos.push(c);
      else desconocidos.push(s);
    }
    if (desconocidos.length) {
      throw new PermanentError(
        `no Moodle course with shortname ${desconocidos.join(', ')} (check the course map, cursos or MOODLE_CURSOS, or the requested courses)`,
        'curso-desconocido',
      );
    }
    return cursos;
  }
}
