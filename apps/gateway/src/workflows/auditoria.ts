// The audit trail: what happened to a workflow or lote, when, caused by what, done by whom.
import type { EntityManager } from 'typeorm';

export interface Asiento {
  workflowId?: string | null;
  alumnoId?: string | null;
  loteId?: string | null;
  evento: string;
  actor: string;
  messageId?: string | null;
  causationId?: string | null;
  correlationId?: string | null;
  detalle?: Record<string, unknown>;
}

/** Fields never copied into the trail, even sealed: the trail is read by many people. */
const OMITIR = new Set(['credencial', 'password']);

export function sinSecretos(payload: unknown): Record<string, unknown> {
  if (!payload || typeof payload !== 'object') return {};
  return Object.fromEntries(Object.entries(payload).filter(([k]) => !OMITIR.has(k)));
}

export async function registrar(m: EntityManager, schema: string, a: Asiento): Promise<void> {
  await m.query(
    `INSERT INTO "${schema}".auditoria (workflow_id, alumno_id, lote_id, evento, actor, message_id, causation_id, correlation_id, detalle)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      a.workflowId ?? null,
      a.alumnoId ?? null,
      a.loteId ?? null,
      a.evento,
      a.actor,
      a.messageId ?? null,
      a.causationId ?? null,
      a.correlationId ?? null,
      JSON.stringify(a.detalle ?? {}),
    ],
  );
}
