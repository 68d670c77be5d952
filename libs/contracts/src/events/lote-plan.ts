// What a pull or an upload would do, before it does it: ingest-service compares the rows with its registry
// and answers with the plan instead of acting when the gateway asked for a dry run (`simular`), or when the
// plan would suspend more students than the safeguard allows (`retencion`: it waits for an operator). The
// plan goes out as a summary (LotePlanificado) and its items in parts (LotePlanParte), so a plan of
// thousands of rows is never one huge message. ConfirmarLote applies the stored plan; DescartarLote drops it.
import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { AlumnoDatos } from '../common/alumno.js';
import { AvisoLote, BajaDesconocida, FilaInvalida } from './lote-replies.js';

/** What the plan does with one row (or one student absent from SIAL), in the words of the lote's ingesta. */
export const RESULTADOS_PLAN = [
  'nuevo',
  'actualizado',
  'sin_cambios',
  'baja',
  'retorno',
  'baja_desconocida',
  'invalido',
] as const;
export const ResultadoPlan = z.enum(RESULTADOS_PLAN);
export type ResultadoPlan = z.infer<typeof ResultadoPlan>;

/** A student as the registry holds them: not re-validated (a row stored before a stricter check stays readable). */
const DatosRegistrados = z.record(z.string(), z.unknown());

export const ItemPlan = z.object({
  /** 1-based, in the lote's order (rows as the source gave them, then students absent from SIAL). */
  orden: z.number().int().positive(),
  resultado: ResultadoPlan,
  /** The row in its source; null for a student absent from SIAL (no row names them). */
  fila: z.number().int().positive().nullable(),
  fuente: z.string(),
  dni: z.string().nullable(),
  /** The registry's id (a new student's is chosen now and kept when the plan is applied); null for a row that names nobody. */
  alumnoId: z.uuid().nullable(),
  /** The student after the plan (for a new one, the row; absent from SIAL, as the registry holds them); null for an invalid row. */
  alumno: AlumnoDatos.nullable(),
  /** The student before, as the registry holds them; null for one it does not know. */
  anterior: DatosRegistrados.nullable(),
  /** The fields that change. */
  cambios: z.array(z.string()),
  /** A baja's reason (baja, egresado, ausente). */
  motivo: z.enum(['baja', 'egresado', 'ausente']).nullable(),
  /** An invalid row's reasons. */
  motivos: z.array(z.string()),
  /** A new student who will wait for an operator's approval before being onboarded (runtime key aprobacionNuevos). */
  enEspera: z.boolean(),
});
export type ItemPlan = z.infer<typeof ItemPlan>;

/** Why a plan waits for an operator: it would suspend more students than the safeguard (runtime key umbralBajas) allows. */
export const Retencion = z.object({
  motivo: z.string().min(1),
  bajas: z.number().int().min(0),
  activos: z.number().int().min(0),
  umbral: z.object({ porcentaje: z.number().min(0).max(100), cantidad: z.number().int().min(0) }),
});
export type Retencion = z.infer<typeof Retencion>;

/** Items per LotePlanParte. */
export const ITEMS_POR_PARTE = 500;

export const LotePlanificado = defineEvent({
  name: 'lote.planificado',
  version: 1,
  schema: z.object({
    loteId: z.uuid(),
    origen: z.enum(['sial', 'upload', 'oneroster']),
    /** Asked as a dry run; false: a real run held by the safeguard (`retencion`). */
    simulado: z.boolean(),
    /** The counts the lote's ingesta would show once applied. */
    total: z.number().int().min(0),
    nuevos: z.number().int().min(0),
    actualizados: z.number().int().min(0),
    sinCambios: z.number().int().min(0),
    bajas: z.number().int().min(0),
    retornos: z.number().int().min(0),
    invalidos: z.array(FilaInvalida),
    bajasDesconocidas: z.array(BajaDesconocida),
    /** Notes on rows read but not acted on in full (AvisoLote). Absent from older senders. */
    avisos: z.array(AvisoLote).optional(),
    /** New students who would wait for approval. */
    enEspera: z.number().int().min(0),
    /** Active students in the registry when the plan was made. */
    activos: z.number().int().min(0),
    /** Set when the plan trips the safeguard (a dry run says so too: confirming it is the approval). */
    retencion: Retencion.nullable(),
    /** How many items, and in how many LotePlanParte they follow. */
    items: z.number().int().min(0),
    partes: z.number().int().min(0),
  }),
});
export type LotePlanificado = EventPayload<typeof LotePlanificado>;

export const LotePlanParte = defineEvent({
  name: 'lote.plan-parte',
  version: 1,
  schema: z.object({
    loteId: z.uuid(),
    /** 1-based; items of part n follow those of part n - 1. */
    parte: z.number().int().positive(),
    items: z.array(ItemPlan).min(1).max(ITEMS_POR_PARTE),
  }),
});
export type LotePlanParte = EventPayload<typeof LotePlanParte>;
