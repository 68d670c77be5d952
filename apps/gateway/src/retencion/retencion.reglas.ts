// The retention run's rules, without the database: the gateway's cutoffs, and how the answers (or their
// absence at the deadline) make one outcome. Pure.
import { DAY_MS } from '@lucy/messaging';
import type { EdadesRetencion, Purgado } from '@lucy/contracts';

export const ESTADOS_EJECUCION = ['en_curso', 'terminada', 'fallida'] as const;
export type EstadoEjecucion = (typeof ESTADOS_EJECUCION)[number];

/** What one service (the gateway among them) did in a run. */
export type Resultado =
  | { estado: 'aplicada'; purgados: Purgado[]; at: string }
  | { estado: 'fallida'; motivo: string; codigo?: string; at: string }
  | { estado: 'sin_respuesta' };

/** The gateway's own cutoffs: audit entries by their age, finished tareas and workflows by theirs. */
export function cortesGateway(
  ahora: Date,
  edades: EdadesRetencion,
): { auditoria: Date; tareas: Date; workflows: Date } {
  const antes = (dias: number) => new Date(ahora.getTime() - dias * DAY_MS);
  return { auditoria: antes(edades.auditoriaDias), tareas: antes(edades.dias), workflows: antes(edades.dias) };
}

/**
 * Where a run stands: terminada once every service applied it; fallida once every one answered and one
 * failed, or at the deadline with some silent (reported sin_respuesta); else still en_curso.
 */
export function desenlace(
  servicios: readonly string[],
  resultados: Readonly<Record<string, Resultado>>,
  vencida: boolean,
): { estado: EstadoEjecucion; resultados: Record<string, Resultado> } {
  const todos: Record<string, Resultado> = { ...resultados };
  const faltan = servicios.filter((s) => !todos[s] || todos[s].estado === 'sin_respuesta');
  if (faltan.length > 0 && !vencida) return { estado: 'en_curso', resultados: todos };
  for (const s of faltan) todos[s] = { estado: 'sin_respuesta' };
  const bien = servicios.every((s) => todos[s].estado === 'aplicada');
  return { estado: bien ? 'terminada' : 'fallida', resultados: todos };
}

/** Per kind, how many went (or would go) in the whole run. */
export function totales(resultados: Readonly<Record<string, Resultado>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of Object.values(resultados))
    if (r.estado === 'aplicada') for (const p of r.purgados) out[p.tipo] = (out[p.tipo] ?? 0) + p.cantidad;
  return out;
}
