import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { EstadoCuenta } from '../domain/cuenta.js';

/** One student's account as this service knows it. Never the password: that exists only sealed, in the event. */
@Entity({ name: 'cuenta' })
export class CuentaEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'alumno_id', unique: true })
  alumnoId: string;

  @Column('text', { unique: true })
  upn: string;

  @Column('text', { name: 'graph_user_id', nullable: true })
  graphUserId: string | null;

  @Column('text')
  estado: EstadoCuenta;

  /** The Graph user was created by an onboarding of this student (not found existing): a failure may disable it and have it deleted. */
  @Column('boolean', { name: 'creada_por_lucy', default: false })
  creadaPorLucy: boolean;

  /** How many temporary passwords were issued (the version of the last one sent to mail-service). */
  @Column('int', { name: 'credencial_version' })
  credencialVersion: number;

  /** Why the last provisioning or command failed, for an operator. */
  @Column('text', { name: 'ultimo_error', nullable: true })
  ultimoError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
