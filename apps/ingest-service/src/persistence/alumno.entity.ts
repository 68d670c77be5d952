import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { AlumnoDatos, EstadoAlumno } from '@lucy/contracts';
import type { ClaseFuente } from '../domain/clases.js';

/** Why the registry holds a student as leaving (an operator's baja is the gateway's, not the registry's). */
export type MotivoBajaRegistro = 'baja' | 'egresado' | 'ausente';

/** A student of the registry: one per normalized DNI. */
@Entity('alumno')
export class AlumnoEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { unique: true }) dni: string;
  @Column('text') nombre: string;
  @Column('text') apellido: string;
  @Column('text', { name: 'email_personal', nullable: true }) emailPersonal: string | null;
  @Column('text', { name: 'email_institucional', nullable: true }) emailInstitucional: string | null;
  @Column('text') carrera: string;
  @Column('text') estado: EstadoAlumno;
  @Column('text') periodo: string;
  /**
   * The Moodle courses the source states (sorted); null: the source states none (AlumnoDatos.cursosFuente).
   * Derived from `clasesFuente` through cursosOneRoster when a row states classes; kept for the comparison.
   */
  @Column('jsonb', { name: 'cursos_fuente', nullable: true }) cursosFuente: string[] | null;
  /** The classes the source states (sorted by class, domain/clases.ts); null: none kept. */
  @Column('jsonb', { name: 'clases_fuente', nullable: true }) clasesFuente: ClaseFuente[] | null;
  /** Why the student is leaving; null while they are an active student. */
  @Column('text', { name: 'motivo_baja', nullable: true }) motivoBaja: MotivoBajaRegistro | null;
  @Column('timestamptz', { name: 'baja_at', nullable: true }) bajaAt: Date | null;
  /** The SIAL list they were last seen in; null: never listed in SIAL (an upload's student). */
  @Column('text', { name: 'lista_sial', nullable: true }) listaSial: string | null;
  /** Complete pulls of that list in a row that missed them. */
  @Column('int') ausencias: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** The student as events carry it, from a row of the registry. */
export function alumnoDatos(
  a: Pick<
    AlumnoEntity,
    'dni' | 'nombre' | 'apellido' | 'emailPersonal' | 'emailInstitucional' | 'carrera' | 'estado' | 'periodo'
  > & { cursosFuente?: string[] | null },
): AlumnoDatos {
  return {
    dni: a.dni,
    nombre: a.nombre,
    apellido: a.apellido,
    emailPersonal: a.emailPersonal,
    emailInstitucional: a.emailInstitucional,
    carrera: a.carrera,
    estado: a.estado,
    periodo: a.periodo,
    ...(a.cursosFuente ? { cursosFuente: a.cursosFuente } : {}),
  };
}
