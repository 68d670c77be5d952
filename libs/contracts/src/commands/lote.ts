// Commands the gateway sends to ingest-service: pull SIAL or the OneRoster server, or take rows it received as an upload (either
// as a dry run: only the plan); apply or drop a plan an operator saw; approve a student who waits.
import { z } from 'zod';
import { defineCommand, type Payload } from '../message.js';
import { alumnoId } from '../common/alumno.js';
import { ARCHIVOS_ONEROSTER } from '../common/oneroster.js';
import { AlumnoCreado } from '../events/alumno-creado.js';
import { AlumnoEnEspera } from '../events/alumno-en-espera.js';
import { LoteFallido, LoteIngestado } from '../events/lote-replies.js';
import { LotePlanificado } from '../events/lote-plan.js';

/** A dry run: the plan is computed, kept and answered (LotePlanificado); nothing is registered or sent. */
const simular = z.boolean().optional();
/** Who, for the audit: the operator's token name. */
const operador = z.string().min(1).max(200);

export const FUENTES_SIAL = ['aspirantes', 'preinscriptos', 'ingresantes'] as const;

export const SincronizarSial = defineCommand({
  name: 'lote.sincronizar-sial',
  version: 1,
  schema: z.object({
    loteId: z.uuid(),
    fuentes: z.array(z.enum(FUENTES_SIAL)).min(1),
    periodo: z.string().min(1).max(20).optional(),
    simular,
  }),
  replies: [LoteIngestado, LoteFallido, LotePlanificado],
});
export type SincronizarSial = Payload<typeof SincronizarSial>;

/**
 * Pull the OneRoster REST server: only what changed since the last pull applied (its mark, kept by
 * ingest-service), or — `completa`, or with no mark yet — everything, as a complete list (absences count).
 */
export const SincronizarOneRoster = defineCommand({
  name: 'lote.sincronizar-oneroster',
  version: 1,
  schema: z.object({
    loteId: z.uuid(),
    completa: z.boolean(),
    simular,
  }),
  replies: [LoteIngestado, LoteFallido, LotePlanificado],
});
export type SincronizarOneRoster = Payload<typeof SincronizarOneRoster>;

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
    simular,
  }),
  replies: [LoteIngestado, LoteFallido, LotePlanificado],
});
export type RegistrarLote = Payload<typeof RegistrarLote>;

/** One data row of a OneRoster CSV file: its line in the file (1 is the header) and its values by column. */
export const FilaOneRoster = z.object({
  linea: z.number().int().min(2),
  valores: z.record(z.string(), z.string()),
});
export type FilaOneRoster = z.infer<typeof FilaOneRoster>;

/**
 * An uploaded OneRoster 1.1 CSV zip, as the gateway read it: its manifest and headers already checked (a
 * broken zip never gets here), each file the manifest declares `bulk` or `delta` with its rows as written.
 * Whether each row is valid is ingest-service's to say. The users' `password` column never travels.
 */
export const RegistrarLoteOneRoster = defineCommand({
  name: 'lote.registrar-oneroster',
  version: 1,
  schema: z.object({
    loteId: z.uuid(),
    nombreArchivo: z.string().max(300).nullable(),
    archivos: z.partialRecord(
      z.enum(ARCHIVOS_ONEROSTER),
      z.object({ modo: z.enum(['bulk', 'delta']), filas: z.array(FilaOneRoster).max(200_000) }),
    ),
    simular,
  }),
  replies: [LoteIngestado, LoteFallido, LotePlanificado],
});
export type RegistrarLoteOneRoster = Payload<typeof RegistrarLoteOneRoster>;

/**
 * Apply the plan ingest-service keeps for this lote (a dry run, or one held by the safeguard) exactly as it
 * was shown: its rows, not a new read of the source. Refused (LoteFallido) when the registry changed since
 * for a student the plan touches, or when the plan was dropped.
 */
export const ConfirmarLote = defineCommand({
  name: 'lote.confirmar',
  version: 1,
  schema: z.object({ loteId: z.uuid(), confirmadoPor: operador }),
  replies: [LoteIngestado, LoteFallido],
});
export type ConfirmarLote = Payload<typeof ConfirmarLote>;

/** Drop the plan: nothing of it is ever applied. Nothing answers. */
export const DescartarLote = defineCommand({
  name: 'lote.descartar',
  version: 1,
  schema: z.object({ loteId: z.uuid(), descartadoPor: operador }),
  replies: [],
});
export type DescartarLote = Payload<typeof DescartarLote>;

/**
 * A new student who waits for approval may be onboarded: released in their lote's window (AlumnoCreado in
 * turn), or, if they left meanwhile, not (AlumnoEnEspera with enEspera false). Nothing for one who does not wait.
 */
export const AprobarAlumno = defineCommand({
  name: 'alumno.aprobar',
  version: 1,
  schema: z.object({ alumnoId, aprobadoPor: operador }),
  replies: [AlumnoCreado, AlumnoEnEspera],
});
export type AprobarAlumno = Payload<typeof AprobarAlumno>;
