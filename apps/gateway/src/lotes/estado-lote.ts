// A lote's state as every reader sees it (one lote, the list and its `estado` filter, the scheduled pull's
// last run), decided here once, in SQL. The row keeps what the lote's messages said (solicitado, ingestado,
// fallido); an ingested lote is `terminado` while every student it set in motion is settled (their
// onboarding in a final state) — a lote with no student at all (a SIAL pull with nothing new, an upload
// whose rows were all unchanged or invalid) included. Derived when read rather than stored when a workflow
// moves, so it needs no ordering between the ingest summary and the students' events (either may come
// first), and a lote an operator retries is in progress again until its students settle again. A student
// who waited for approval and left before it (never to be onboarded) counts as settled. Before ingest
// applies it, a lote may wait with its plan: `simulado` (a dry run) or `esperando_aprobacion` (held by the
// safeguard), until an operator confirms it (`solicitado` again) or drops it (`descartado`).
import { TERMINALES } from '../sagas/onboarding.model.js';

/** The workflow states in which a student of a lote counts as settled (the saga's final states). */
export const ASENTADOS: readonly string[] = TERMINALES;

const lista = ASENTADOS.map((e) => `'${e}'`).join(', ');

/** SQL for the state of the lote row aliased `l`, in schema `s` (already quoted). */
export function estadoDeLote(s: string, l = 'l'): string {
  return `CASE WHEN ${l}.estado = 'ingestado' AND NOT EXISTS (
            SELECT 1 FROM ${s}.lote_alumno la LEFT JOIN ${s}.workflow w ON w.alumno_id = la.alumno_id AND w.tipo = 'onboarding'
             WHERE la.lote_id = ${l}.id AND (w.estado IS NULL OR w.estado NOT IN (${lista}))
               AND NOT EXISTS (SELECT 1 FROM ${s}.alumno_por_aprobar e WHERE e.alumno_id = la.alumno_id AND e.estado = 'descartado'))
          THEN 'terminado' ELSE ${l}.estado END`;
}

/** The lote table with `estado` as derived above: use it wherever a lote is read (`FROM ${lotes(s)} l`). */
export function lotes(s: string): string {
  return `(SELECT l.id, l.origen, ${estadoDeLote(s)} AS estado, l.solicitado_por, l.correlation_id, l.nombre_archivo, l.total, l.nuevos,
                  l.actualizados, l.sin_cambios, l.invalidos, l.bajas, l.retornos, l.bajas_desconocidas, l.avisos, l.error, l.created_at, l.ingestado_at,
                  l.simulacion, l.plan, l.resolucion, l.resuelto_por, l.resuelto_at
             FROM ${s}.lote l)`;
}
