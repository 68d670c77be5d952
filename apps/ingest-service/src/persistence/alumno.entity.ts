import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { AlumnoDatos, EstadoAlumno } from '@lucy/contracts';

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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** The student as events carry it, from a row of the registry. */
export function alumnoDatos(
  a: Pick<
    AlumnoEntity,
    'dni' | 'nombre' | 'apellido' | 'emailPersonal' | 'emailInstitucional' | 'carrera' | 'estado' | 'periodo'
  >,
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
  };
}
