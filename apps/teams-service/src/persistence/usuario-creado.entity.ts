import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A Graph user an onboarding created, noted outside its transaction (migration UsuarioCreado1764600000000 says why). */
@Entity({ name: 'usuario_creado' })
export class UsuarioCreadoEntity {
  @PrimaryColumn('text', { name: 'graph_user_id' })
  graphUserId: string;

  @Column('uuid', { name: 'alumno_id' })
  alumnoId: string;

  @Column('text')
  upn: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
