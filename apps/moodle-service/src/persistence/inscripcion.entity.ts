import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * - enrolada: Lucy enrolled the student (so compensation may remove it);
 * - preexistente: the student was already enrolled when Lucy looked; Lucy leaves it as it was;
 * - desenrolada: Lucy removed it (DesenrolarMoodle).
 */
export type EstadoInscripcion = 'enrolada' | 'preexistente' | 'desenrolada';

/** One student in one Moodle course: what enrolar leaves behind (the table keeps its name, inscripcion). */
@Entity({ name: 'inscripcion' })
export class Inscripcion {
  @PrimaryColumn({ name: 'alumno_id', type: 'uuid' })
  alumnoId: string;

  @PrimaryColumn({ type: 'text' })
  shortname: string;

  @Column({ name: 'course_id', type: 'integer' })
  courseId: number;

  @Column({ name: 'moodle_user_id', type: 'integer' })
  moodleUserId: number;

  @Column({ name: 'role_id', type: 'integer' })
  roleId: number;

  @Column({ type: 'text' })
  estado: EstadoInscripcion;

  @Column({ name: 'enrolada_at', type: 'timestamptz', nullable: true })
  enroladaAt: Date | null;

  @Column({ name: 'desenrolada_at', type: 'timestamptz', nullable: true })
  desenroladaAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
