import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Retencion } from '@lucy/contracts';
import type { CambioDeLista, ConteosPlan } from '../domain/plan.js';
import type { OrigenLote } from './lote.entity.js';

/**
 * simulado: a dry run, kept to be confirmed or dropped · esperando_aprobacion: a real run the safeguard held ·
 * confirmado: applied (the lote is registered) · descartado: dropped by an operator · caducado: the registry
 * changed under it before it was confirmed, so it was not applied.
 */
export type EstadoPlan = 'simulado' | 'esperando_aprobacion' | 'confirmado' | 'descartado' | 'caducado';

/** What a lote would do, kept until an operator confirms or drops it. Its items are `plan_item` rows. */
@Entity('plan')
export class PlanEntity {
  @PrimaryColumn('uuid', { name: 'lote_id' }) loteId: string;
  @Column('text') origen: OrigenLote;
  @Column('text', { nullable: true }) descripcion: string | null;
  @Column('text', { name: 'correlation_id' }) correlationId: string;
  @Column('text') estado: EstadoPlan;
  @Column('boolean') simulado: boolean;
  @Column('jsonb') conteos: ConteosPlan;
  /** Active students in the registry when planned. */
  @Column('int') activos: number;
  @Column('int', { name: 'en_espera' }) enEspera: number;
  @Column('jsonb', { nullable: true }) retencion: Retencion | null;
  /** The roll call's changes to apply with it. */
  @Column('jsonb') pase: CambioDeLista[];
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'resuelto_at', nullable: true }) resueltoAt: Date | null;
  /** Who confirmed or dropped it. */
  @Column('text', { name: 'resuelto_por', nullable: true }) resueltoPor: string | null;
}
