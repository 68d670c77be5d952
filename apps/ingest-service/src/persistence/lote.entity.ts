import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AvisoLote, BajaDesconocida, FilaInvalida } from '@lucy/contracts';

export type OrigenLote = 'sial' | 'upload' | 'oneroster';
export type EstadoLote = 'en_curso' | 'completado' | 'fallido';

/** One pull from SIAL or one upload: what it brought, and whether its students are all on their way. */
@Entity('lote')
export class LoteEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') origen: OrigenLote;
  /** The SIAL lists pulled, or the uploaded file's name. */
  @Column('text', { nullable: true }) descripcion: string | null;
  @Column('text') estado: EstadoLote;
  /** The command's correlation id: what the lote releases later travels under it too. */
  @Column('text', { name: 'correlation_id' }) correlationId: string;
  @Column('int') total: number;
  @Column('int') nuevos: number;
  @Column('int') actualizados: number;
  @Column('int', { name: 'sin_cambios' }) sinCambios: number;
  @Column('int') bajas: number;
  @Column('int') retornos: number;
  @Column('jsonb', { name: 'bajas_desconocidas' }) bajasDesconocidas: BajaDesconocida[];
  @Column('int') invalidos: number;
  @Column('jsonb', { name: 'filas_invalidas' }) filasInvalidas: FilaInvalida[];
  /** What the rows stated that was not acted on (a class with no Moodle course), no row made invalid by it. */
  @Column('jsonb') avisos: AvisoLote[];
  @Column('text', { name: 'motivo_fallo', nullable: true }) motivoFallo: string | null;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('timestamptz', { name: 'ingested_at', nullable: true }) ingestedAt: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
  @Column('timestamptz', { name: 'failed_at', nullable: true }) failedAt: Date | null;
}
