// The audit trail: what happened to a workflow or lote, when, caused by what, done by whom.
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
