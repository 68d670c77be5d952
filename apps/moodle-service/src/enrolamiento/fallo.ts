// How a handler of this service ends when Moodle work fails. The saga must hear about it, so a
// failure that retrying cannot fix — or the last retry of one it could — becomes a failure event
// (committed with whatever the handler already recorded) instead of a parked message; an earlier
// transient failure is rethrown for the transport to retry later. A DeferError (Moodle's breaker open,
// no rate slot soon) is always rethrown, even on the last attempt: waiting for Moodle is not a failure,
// the message waits in RabbitMQ with its attempts untouched (if Moodle stays away, the saga's deadline
// completes the student with a warning, which the late MoodleEnrolado clears).
import { describeError, isDeferral, PermanentError, type MessageContext } from '@lucy/messaging';

export interface Fallo {
  motivo: string;
  codigo?: string;
  permanente: boolean;
}

export async function reportingFailure(
  ctx: MessageContext,
  work: () => Promise<void>,
  report: (fallo: Fallo) => void,
): Promise<Fallo | undefined> {
  try {
    await work();
    return undefined;
  } catch (err) {
    if (isDeferral(err)) throw err;
    const permanente = err instanceof PermanentError;
    if (!permanente && !ctx.isLastAttempt) throw err;
    const fallo: Fallo = { motivo: describeError(err), permanente };
    const codigo = (err as { code?: unknown }).code;
    if (typeof codigo === 'string') fallo.codigo = codigo.slice(0, 200);
    report(fallo);
    return fallo;
  }
}
