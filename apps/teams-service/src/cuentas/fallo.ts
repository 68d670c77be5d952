// When a handler reports a failure instead of throwing: a permanent error (retrying cannot help), or
// any error on the last attempt, becomes the failure reply so the saga learns of it. Anything else is
// thrown again for the transport to retry — and a DeferError always is, even on the last attempt: Graph's
// breaker is open or its rate has no slot soon, which is not this message's failure (the transport sets
// it aside without counting an attempt).
import { describeError, isDeferral, PermanentError, type MessageContext } from '@lucy/messaging';

export interface Fallo {
  motivo: string;
  codigo?: string;
  permanente: boolean;
}

/** The failure to report, or null when the error should be retried. */
export function reportableFailure(err: unknown, ctx: Pick<MessageContext, 'isLastAttempt'>): Fallo | null {
  if (isDeferral(err)) return null;
  if (err instanceof PermanentError) return { motivo: recortar(err.message), codigo: err.code, permanente: true };
  if (!ctx.isLastAttempt) return null;
  const codigo = (err as { code?: unknown })?.code;
  return {
    motivo: recortar(describeError(err)),
    codigo: typeof codigo === 'string' ? codigo.slice(0, 200) : undefined,
    permanente: false,
  };
}

/** A reason as long as the contracts allow (2,000 characters), never empty. */
export const recortar = (s: string) => (s.trim() || 'unknown error').slice(0, 2000);
