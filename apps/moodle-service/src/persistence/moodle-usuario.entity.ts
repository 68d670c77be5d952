import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How the student's Moodle user came to be: Lucy created it, or Lucy found it (by username or email). */
export type OrigenUsuario = 'creado' | 'existente';

/** The Moodle user of one student. */
@Entity({ name: 'moodle_usuario' })
export class MoodleUsuario {
  @PrimaryColumn({ name: 'alumno_id', type: 'uuid' })
  alumnoId: string;

  /** Moodle's username: the UPN lower-cased, or the username of the user found by email. */
  @Column({ type: 'text' })
  username: string;

  @Column({ name: 'moodle_user_id', type: 'integer' })
  moodleUserId: number;

  @Column({ type: 'text' })
  auth: string;

  @Column({ type: 'text' })
  origen: OrigenUsuario;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
