// Replies of ingest-service to a pull or an upload: what the intake made of the rows.
import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { ESTADOS_DE_SALIDA } from '../common/alumno.js';
import { fallo } from '../common/fallo.js';

export const FilaInvalida = z.object({
  /** 1-based position in the source (SIAL list + index, or the upload's row number). */
  fila: z.number().int().positive(),
  fuente: z.string(),
  dni: z.string().nullable(),
  motivos: z.array(z.string()).min(1),
});
export type FilaInvalida = z.infer<typeof FilaInvalida>;

/**
 * Something the rows state that Lucy does not act on, without making any row invalid (a OneRoster class with
 * no Moodle course in cursosOneRoster, say): the lote goes on, and the operator reads why.
 */
export const AvisoLote = FilaInvalida;
export type AvisoLote = FilaInvalida;

/** A row naming a student the registry never had, marked leaving: nobody is onboarded only to be suspended. */
export const BajaDesconocida = z.object({
  fila: z.number().int().positive(),
  fuente: z.string(),
  dni: z.string(),
  estado: z.enum(ESTADOS_DE_SALIDA),
});
export type BajaDesconocida = z.infer<typeof BajaDesconocida>;

export const LoteIngestado = defineEvent({
  name: 'lote.ingestado',
  version: 1,
  schema: z.object({
    loteId: z.uuid(),
    origen: z.enum(['sial', 'upload', 'oneroster']),
    total: z.number().int().min(0),
    nuevos: z.number().int().min(0),
    actualizados: z.number().int().min(0),
    sinCambios: z.number().int().min(0),
    invalidos: z.array(FilaInvalida),
    /** The students this batch set in motion (created or updated), so progress can be counted. */
    alumnoIds: z.array(z.uuid()),
    /** Known students it took as leaving (AlumnoDadoDeBaja: marked baja or egresado, or absent from SIAL). Absent from older senders. */
    bajas: z.number().int().min(0).optional(),
    /** Students who had left and are listed as active again (AlumnoRetornado). Absent from older senders. */
    retornos: z.number().int().min(0).optional(),
    /** Rows of students it never had, marked leaving: not onboarded. Absent from older senders. */
    bajasDesconocidas: z.array(BajaDesconocida).optional(),
    /** Notes on rows that were read but not acted on in full (AvisoLote). Absent from older senders. */
    avisos: z.array(AvisoLote).optional(),
  }),
});
export type LoteIngestado = EventPayload<typeof LoteIngestado>;

export const LoteFallido = defineEvent({
  name: 'lote.fallido',
  version: 1,
  schema: z.object({ loteId: z.uuid(), ...fallo }),
});
export type LoteFallido = EventPayload<typeof LoteFallido>;
