// What a service answers a reconciliation with: its differences in parts (a large registry does not fit one
// message), then that it is done and how many parts and differences it sent — or that it could not compare.
import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { fallo } from '../common/fallo.js';
import { Diferencia, SistemaReconciliacion } from '../common/reconciliacion.js';

/** At most this many differences in one DiferenciasEncontradas. */
export const DIFERENCIAS_POR_PARTE = 500;

export const DiferenciasEncontradas = defineEvent({
  name: 'reconciliacion.diferencias',
  version: 1,
  schema: z.object({
    reconciliacionId: z.uuid(),
    sistema: SistemaReconciliacion,
    /** 0, 1, …: the gateway keeps each part once. */
    parte: z.number().int().min(0),
    diferencias: z.array(Diferencia).max(DIFERENCIAS_POR_PARTE),
  }),
});
export type DiferenciasEncontradas = EventPayload<typeof DiferenciasEncontradas>;

export const ReconciliacionParcialTerminada = defineEvent({
  name: 'reconciliacion.parcial-terminada',
  version: 1,
  schema: z.object({
    reconciliacionId: z.uuid(),
    sistema: SistemaReconciliacion,
    /** Parts sent before this event, and the differences in them. */
    partes: z.number().int().min(0),
    diferencias: z.number().int().min(0),
    /** Students and system objects compared. */
    revisados: z.number().int().min(0),
    /** entra: the round read every user (true) or only the changes since the last one (false). */
    completa: z.boolean().optional(),
  }),
});
export type ReconciliacionParcialTerminada = EventPayload<typeof ReconciliacionParcialTerminada>;

export const ReconciliacionParcialFallida = defineEvent({
  name: 'reconciliacion.parcial-fallida',
  version: 1,
  schema: z.object({ reconciliacionId: z.uuid(), sistema: SistemaReconciliacion, ...fallo }),
});
export type ReconciliacionParcialFallida = EventPayload<typeof ReconciliacionParcialFallida>;

/** The parts of `diferencias`, each at most DIFERENCIAS_POR_PARTE long (none for none). */
export function enPartes<T>(diferencias: readonly T[]): T[][] {
  const partes: T[][] = [];
  for (let i = 0; i < diferencias.length; i += DIFERENCIAS_POR_PARTE)
    partes.push(diferencias.slice(i, i + DIFERENCIAS_POR_PARTE));
  return partes;
}
