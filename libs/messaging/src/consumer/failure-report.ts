// A handler that declares `onFailure` (@Handler(Def, { onFailure: { event, payload } })) tells the saga
// when it fails for good instead of being parked: the rule lives here, once.
//   - a deferral (DeferError: a breaker open, no rate slot soon) is always thrown again, even on the last
//     attempt: waiting for a dependency is not this message's failure;
//   - a PermanentError, or any other error on the last attempt, becomes the declared failure event, and the
//     message is applied (acked) with it;
//   - anything else is thrown again for the transport to retry.
// A reported failure publishes only its event: what the handler published before failing is dropped. What it
// wrote stays (message mode: the same transaction), with what it adds through `ctx.onFailure` (see FailureNote).
import type { Logger } from 'pino';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { recortarCodigo, recortarMotivo, type Fallo, type MessageDefinition, type Payload } from '@lucy/contracts';
import { describeError, isDeferral, PermanentError } from '../errors.js';
import type { HandlerFn } from './handler-binding.js';
import type { HandlerContext, MessageContext } from './message-context.js';
import { OwnTransactionContext } from './own-transactions.js';

/** What a handler publishes when it fails for good: the event, and its payload from the message and the failure. */
export interface FailureReport<
  D extends MessageDefinition = MessageDefinition,
  F extends MessageDefinition = MessageDefinition,
> {
  event: F;
  payload: (message: Payload<D>, fallo: Fallo) => Payload<F>;
}

/** What a handler adds to its failure report, if the failure is reported (`ctx.onFailure`). */
export interface FailureNote<P extends object = Record<string, unknown>> {
  /** Fields laid over the declared payload (say what the attempt left behind). */
  fields?: Partial<P>;
  /**
   * Writes that commit with the failure event: in the message's transaction ('message'), or in the last
   * commit of an own-transaction handler ('own').
   */
  write?: (manager: EntityManager) => Promise<unknown>;
}

/**
 * Runs once the failure is known to be reported, before its payload is built. It may amend `fallo.motivo`
 * (recortarMotivo) and, in an own-transaction handler, still call an API or take a short transaction.
 * If it throws, that error goes to the transport instead (nothing is reported).
 */
export type FailureHook<P extends object = Record<string, unknown>> = (
  fallo: Fallo,
) => FailureNote<P> | void | Promise<FailureNote<P> | void>;

/** The failure to report for `err`, or null when it must be thrown again (a deferral, or a retry to come). */
export function reportableFailure(err: unknown, isLastAttempt: boolean): Fallo | null {
  if (isDeferral(err)) return null;
  const codigo = recortarCodigo((err as { code?: unknown } | null)?.code);
  if (err instanceof PermanentError) return { motivo: recortarMotivo(err.message), codigo, permanente: true };
  if (!isLastAttempt) return null;
  return { motivo: recortarMotivo(describeError(err)), codigo, permanente: false };
}

/** `handle` with the rule applied: what the transport runs for a handler that declared `onFailure`. */
export function reportingFailures(handle: HandlerFn, report: FailureReport, log: Logger): HandlerFn {
  return async (payload, ctx) => {
    try {
      await handle(payload, ctx);
    } catch (err) {
      const own = ctx instanceof OwnTransactionContext;
      const fallo = reportableFailure(err, ctx.isLastAttempt);
      // After its last commit an own handler's message is applied: nothing more can go with it. A failed
      // statement aborted the message's transaction: nothing can commit in it, the event neither.
      if (!fallo || (own && ctx.committed) || (!own && err instanceof QueryFailedError)) throw err;
      await publishFailure(ctx, payload, fallo, report, log);
    }
  };
}

async function publishFailure(
  ctx: HandlerContext,
  message: unknown,
  fallo: Fallo,
  report: FailureReport,
  log: Logger,
): Promise<void> {
  const note = (await ctx.failureHook?.(fallo)) ?? {};
  fallo.motivo = recortarMotivo(fallo.motivo);
  const payload: Record<string, unknown> = { ...(report.payload(message as never, fallo) as object), ...note.fields };
  ctx.outgoing.length = 0;
  ctx.publish(report.event, payload as Payload<MessageDefinition>);
  if (ctx instanceof OwnTransactionContext) await ctx.commit(async (m) => note.write?.(m));
  else if (note.write) await note.write((ctx as MessageContext).manager);
  log.warn({ type: ctx.envelope.type, failure: report.event.id, ...payload }, 'failure reported');
}
