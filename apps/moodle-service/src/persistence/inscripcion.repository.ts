// The inscripcion rows (one per student and course Lucy looked at), read and written in the handler's
// transaction: the caller passes its EntityManager.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Inscripcion, type EstadoInscripcion } from './inscripcion.entity.js';

export type InscripcionNueva = Omit<Inscripcion, 'createdAt'>;

@Injectable()
export class InscripcionRepository {
  /** The student's rows, all of them or those in `estado`. */
  delAlumno(m: EntityManager, alumnoId: string, estado?: EstadoInscripcion): Promise<Inscripcion[]> {
    return m.findBy(Inscripcion, estado ? { alumnoId, estado } : { alumnoId });
  }

  /** Inserts or updates the row of the student and course. */
  async guardar(m: EntityManager, inscripcion: InscripcionNueva | Inscripcion): Promise<void> {
    await m.save(Inscripcion, inscripcion);
  }
}
