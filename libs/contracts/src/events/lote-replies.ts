// Replies of ingest-service to a pull or an upload: what the intake made of the rows.
import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';

export const FilaInvalida = z.object({
  /** 1-based position in the source (SIAL list + index, or the upload's row number). */
  fila: z.number().int().positive(),
  fuente: z.string(),
  dni: z.string().nullable(),
  motivos: z.array(z.string()).min(1),
});
export type FilaInvalida = z.infer<typeof FilaInvalida>;

export const LoteIngestado = defineEvent({
  name: 'lote.ingestado',
  version: 1,
  schema: z.object({
    loteId: z.uuid(),
    origen: z.enum(['sial', 'upload']),
    total: z.number().int().min(0),
    nuevos: z.number().int().min(0),
    actualizados: z.number().int().min(0),
    sinCambios: z.number().int().min(0),
    invalidos: z.array(FilaInvalida),
    /** The students this batch set in motion (created or updated), so progress can be counted. */
    alumnoIds: z.array(z.uuid()),
  }),
});
export type LoteIngestado = EventPayload<typeof LoteIngestado>;

export const LoteFallido = defineEvent({
  name: 'lote.fallido',
  version: 1,
  schema: z.object({ loteId: z.uuid(), motivo: z.string().min(1), permanente: z.boolean() }),
});
export type LoteFallido = EventPayload<typeof LoteFallido>;
