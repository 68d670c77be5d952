// Which students: the filters of GET /alumnos, also the selection of a bulk action. A student is known
// to the gateway once ingest-service released them (their onboarding workflow exists), or said they wait
// for an operator's approval (`pendiente_aprobacion`, then `aprobado` until their onboarding starts).
import { z } from 'zod';
import { ESTADOS_ALUMNO } from '@lucy/contracts';
import { ESTADOS, PASOS } from '../sagas/onboarding.model.js';
import { WhereClause, Id, likePattern, DateRange } from '../api/schemas.js';

export const ESTADOS_PASO = ['pendiente', 'en_curso', 'completado', 'fallido', 'omitido'] as const;
/** A student's state before their onboarding exists: waiting for approval, or approved and waiting for their turn. */
export const ESTADOS_APROBACION = ['pendiente_aprobacion', 'aprobado'] as const;

export const AlumnoFiltro = z.object({
  estado: z.enum(ESTADOS_ALUMNO).optional().describe("the student's estado in SIAL"),
  workflow: z
    .enum([...ESTADOS, ...ESTADOS_APROBACION])
    .optional()
    .describe('state of their onboarding workflow (pendiente_aprobacion: a new student waiting for approval)'),
  paso: z.enum(PASOS).optional().describe('a step of the workflow (with pasoEstado: that step in that state)'),
  pasoEstado: z.enum(ESTADOS_PASO).optional(),
  atascado: z.stringbool().optional(),
  carrera: z.string().max(200).optional().describe('exact carrera'),
  periodo: z.string().max(20).optional(),
  loteId: Id.optional(),
  q: z.string().trim().min(1).max(200).optional().describe('free text in name, surname, DNI, emails or UPN'),
  ...DateRange,
});
export type AlumnoFiltro = z.infer<typeof AlumnoFiltro>;

/** The student (onboarding row `w`) is stuck in their onboarding or in one of their lifecycle workflows. */
const atascadoEnAlguno = (s: string) =>
  `(w.atascado OR EXISTS (SELECT 1 FROM ${s}.workflow c WHERE c.alumno_id = w.alumno_id AND c.tipo <> 'onboarding' AND c.atascado))`;

/**
 * Every student the gateway knows, as onboarding workflow rows (`w`): those whose onboarding exists, and those
 * who wait for approval without one (with no account, steps nor warnings).
 */
export function alumnosConocidos(schema: string): string {
  const s = `"${schema}"`;
  return `(SELECT w.id, w.alumno_id, w.tipo, w.estado, w.lote_id, w.alumno, w.upn, ${atascadoEnAlguno(s)} AS atascado, w.avisos, w.error, w.created_at, w.updated_at
             FROM ${s}.workflow w WHERE w.tipo = 'onboarding'
           UNION ALL
           SELECT e.id, e.alumno_id, 'onboarding', CASE e.estado WHEN 'pendiente' THEN 'pendiente_aprobacion' ELSE 'aprobado' END, e.lote_id,
                  e.alumno, NULL, false, '[]'::jsonb, NULL, e.created_at, e.updated_at
             FROM ${s}.alumno_por_aprobar e
            WHERE e.estado <> 'descartado' AND NOT EXISTS (SELECT 1 FROM ${s}.workflow x WHERE x.alumno_id = e.alumno_id AND x.tipo = 'onboarding'))`;
}

/** The WHERE of a filter over `workflow w` (onboarding workflows only), or over alumnosConocidos() as `w`. */
export function alumnosWhere(f: AlumnoFiltro, schema: string): WhereClause {
  const s = `"${schema}"`;
  const out = new WhereClause()
    .raw(`w.tipo = 'onboarding'`)
    .add((p) => `w.alumno->>'estado' = ${p}`, f.estado)
    .add((p) => `w.estado = ${p}`, f.workflow)
    .add((p) => `${atascadoEnAlguno(s)} = ${p}`, f.atascado)
    .add((p) => `w.alumno->>'carrera' = ${p}`, f.carrera)
    .add((p) => `w.alumno->>'periodo' = ${p}`, f.periodo)
    .add((p) => `w.lote_id = ${p}`, f.loteId)
    .add((p) => `w.created_at >= ${p}::timestamptz`, f.desde)
    .add((p) => `w.created_at < ${p}::timestamptz`, f.hasta);
  if (f.q) {
    const p = out.param(likePattern(f.q));
    out.raw(`(w.alumno->>'dni' ILIKE ${p} OR w.alumno->>'nombre' ILIKE ${p} OR w.alumno->>'apellido' ILIKE ${p} OR (w.alumno->>'nombre') || ' ' || (w.alumno->>'apellido') ILIKE ${p}
      OR w.alumno->>'emailPersonal' ILIKE ${p} OR w.alumno->>'emailInstitucional' ILIKE ${p} OR w.upn ILIKE ${p})`);
  }
  if (f.paso || f.pasoEstado) {
    const cond = [`p.workflow_id = w.id`];
    if (f.paso) cond.push(`p.paso = ${out.param(f.paso)}`);
    if (f.pasoEstado) cond.push(`p.estado = ${out.param(f.pasoEstado)}`);
    out.raw(`EXISTS (SELECT 1 FROM ${s}.workflow_paso p WHERE ${cond.join(' AND ')})`);
  }
  return out;
}
