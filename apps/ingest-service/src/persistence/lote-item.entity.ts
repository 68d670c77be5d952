import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ResultadoItem = 'nuevo' | 'actualizado' | 'sin_cambios' | 'invalido';
/** pending → released (its event is out) → done (its critical step answered, or the wait timed out). */
export type ReleaseState = 'pending' | 'released' | 'done';

/** One student (or invalid row) of a lote, in source order (`id`), and its place in the release window. */
@Entity('lote_item')
export class LoteItemEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'lote_id' }) loteId: string;
  @Column('int') fila: number;
  @Column('text') fuente: string;
  @Column('text', { nullable: true }) dni: string | null;
  @Column('uuid', { name: 'alumno_id', nullable: true }) alumnoId: string | null;
  @Column('text') resultado: ResultadoItem;
  @Column('jsonb', { nullable: true }) cambios: string[] | null;
  @Column('text', { name: 'release_state', nullable: true }) releaseState: ReleaseState | null;
  @Column('timestamptz', { name: 'released_at', nullable: true }) releasedAt: Date | null;
  @Column('timestamptz', { name: 'done_at', nullable: true }) doneAt: Date | null;
  @Column('boolean', { name: 'timed_out' }) timedOut: boolean;
}
