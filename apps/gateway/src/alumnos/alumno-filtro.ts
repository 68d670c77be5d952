// Which students: the filters of GET /alumnos, also the selection of a bulk action. A student is known
// to the gateway once ingest-service released them (their onboarding workflow exists).
import { z } from 'zod';
import { ESTADOS_ALUMNO } from '@lucy/contracts';
import { ESTADOS, PASOS } from '../sagas/onboarding.model.js';
import { Filtros, Id, patronLike, RangoFechas } from '../api/schemas.js';

export const ESTADOS_PASO = ['pendiente', 'en_curso', 'completado', 'fallido', 'omitido'] as const;

export const AlumnoFiltro = z.object({
  estado: z.enum(ESTADOS_ALUMNO).optional().describe("the student's estado in SIAL"),
  workflow: z.enum(ESTADOS).optional().describe('state of their onboarding workflow'),
  paso: z.enum(PASOS).optional().describe('a step of the workflow (with pasoEstado: that step in that state)'),
  pasoEstado: z.enum(ESTADOS_PASO).optional(),
  atascado: z.stringbool().optional(),
  carrera: z.string().max(200).optional().describe('exact carrera'),
  periodo: z.string().max(20).optional(),
  loteId: Id.optional(),
  q: z.string().trim().min(1).max(200).optional().describe('free text in name, surname, DNI, emails or UPN'),
  ...RangoFechas,
});
export type AlumnoFiltro = z.infer<typeof AlumnoFiltro>;

/** The WHERE of a filter over `workflow w` (onboarding workflows only). */
export function filtrosDeAlumnos(f: AlumnoFiltro, schema: string): Filtros {
  const s = `"${schema}"`;
  const out = new Filtros()
    .raw(`w.tipo = 'onboarding'`)
    .add((p) => `w.alumno->>'estado' = ${p}`, f.estado)
    .add((p) => `w.estado = ${p}`, f.workflow)
    .add((p) => `w.atascado = ${p}`, f.atascado)
    .add((p) => `w.alumno->>'carrera' = ${p}`, f.carrera)
    .add((p) => `w.alumno->>'periodo' = ${p}`, f.periodo)
    .add((p) => `w.lote_id = ${p}`, f.loteId)
    .add((p) => `w.created_at >= ${p}::timestamptz`, f.desde)
    .add((p) => `w.created_at < ${p}::timestamptz`, f.hasta);
  if (f.q) {
    const p = out.param(patronLike(f.q));
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
