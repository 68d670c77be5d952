// The student's stay as ingest-service sees it in the source: leaving, and coming back. The gateway's
// lifecycle workflows act on them (suspend, then delete after a grace period; re-enable or restore).
import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { AlumnoDatos, alumnoId } from '../common/alumno.js';

/**
 * Why a student is leaving: marked `baja` or `egresado` in a record, absent from the source's list for
 * the configured number of complete pulls in a row (`ausente`), or an operator said so (`operador`).
 */
export const MOTIVOS_SALIDA = ['baja', 'egresado', 'ausente', 'operador'] as const;

export const AlumnoDadoDeBaja = defineEvent({
  name: 'alumno.dado-de-baja',
  version: 1,
  schema: z.object({ alumnoId, loteId: z.uuid().nullable(), alumno: AlumnoDatos, motivo: z.enum(MOTIVOS_SALIDA) }),
});
export type AlumnoDadoDeBaja = EventPayload<typeof AlumnoDadoDeBaja>;

/** A student who had left is in the source again, as an active student. */
export const AlumnoRetornado = defineEvent({
  name: 'alumno.retornado',
  version: 1,
  schema: z.object({ alumnoId, loteId: z.uuid().nullable(), alumno: AlumnoDatos }),
});
export type AlumnoRetornado = EventPayload<typeof AlumnoRetornado>;
