import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AlumnoDatos } from '@lucy/contracts';

export type ResultadoItem =
  | 'nuevo'
  | 'actualizado'
  | 'sin_cambios'
  | 'invalido'
  | 'baja'
  | 'retorno'
  /** A student the registry never had, marked leaving: recorded, nobody onboarded. */
  | 'baja_desconocida';
/**
 * pending → released (its event is out) → done (its critical step answered, or the wait timed out). A new
 * student who waits for an operator's approval is held first (held → pending once approved; → done, never
 * released, if they left before).
 */
export type ReleaseState = 'held' | 'pending' | 'released' | 'done';

/**
 * One student (or invalid row) of a lote, in source order (`id`), and its place in the release window.
 * A baja or retorno holds no slot: its event goes out as the lote is registered (done at once).
 */
@Entity('lote_item')
export class LoteItemEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'lote_id' }) loteId: string;
  /** Null for a student who left by absence: no row of the lote names them. */
  @Column('int', { nullable: true }) fila: number | null;
  @Column('text') fuente: string;
  @Column('text', { nullable: true }) dni: string | null;
  @Column('uuid', { name: 'alumno_id', nullable: true }) alumnoId: string | null;
  @Column('text') resultado: ResultadoItem;
  @Column('jsonb', { nullable: true }) cambios: string[] | null;
  /** A baja's reason (baja, egresado, ausente). */
  @Column('text', { nullable: true }) motivo: string | null;
  /** An update's data before it, for its AlumnoActualizado. */
  @Column('jsonb', { nullable: true }) anterior: AlumnoDatos | null;
  @Column('text', { name: 'release_state', nullable: true }) releaseState: ReleaseState | null;
  @Column('timestamptz', { name: 'released_at', nullable: true }) releasedAt: Date | null;
  @Column('timestamptz', { name: 'done_at', nullable: true }) doneAt: Date | null;
  @Column('boolean', { name: 'timed_out' }) timedOut: boolean;
}
