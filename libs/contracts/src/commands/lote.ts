// Commands the gateway sends to ingest-service: pull SIAL, or take rows it received as an upload.
import { z } from 'zod';
import { defineCommand, type Payload } from '../message.js';
import { LoteFallido, LoteIngestado } from '../events/lote-replies.js';

export const FUENTES_SIAL = ['aspirantes', 'preinscriptos', 'ingresantes'] as const;

export const SincronizarSial = defineCommand({
  name: 'lote.sincronizar-sial',
  version: 1,
  schema: z.object({
    loteId: z.uuid(),
    fuentes: z.array(z.enum(FUENTES_SIAL)).min(1),
    periodo: z.string().min(1).max(20).optional(),
  }),
  replies: [LoteIngestado, LoteFallido],
});
export type SincronizarSial = Payload<typeof SincronizarSial>;

/** One row as an upload gives it, before validation: strings as typed, keys already mapped. */
export const FilaAlumno = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type FilaAlumno = z.infer<typeof FilaAlumno>;

export const RegistrarLote = defineCommand({
  name: 'lote.registrar',
  version: 1,
  schema: z.object({
    loteId: z.uuid(),
    nombreArchivo: z.string().max(300).nullable(),
    filas: z.array(FilaAlumno).min(1).max(20_000),
  }),
  replies: [LoteIngestado, LoteFallido],
});
export type RegistrarLote = Payload<typeof RegistrarLote>;
