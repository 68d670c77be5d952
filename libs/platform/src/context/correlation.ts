import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What ties a log line, a message and an HTTP request to the workflow that caused them.
 * HTTP requests set it from `x-correlation-id`; libs/messaging sets it from each message's envelope.
 */
export interface CorrelationContext {
  correlationId: string;
  causationId?: string;
  messageId?: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

/** Runs `fn` (and everything it awaits or schedules) with `ctx` as the current correlation. */
export function runWithCorrelation<T>(ctx: CorrelationContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The correlation of the code running now, or undefined outside any request or message. */
export function currentCorrelation(): CorrelationContext | undefined {
  return storage.getStore();
}

export const CORRELATION_HEADER = 'x-correlation-id';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller-supplied id is kept only if it is short and plain: it ends up in every log line. */
export function acceptCorrelationId(value: unknown): string | undefined {
  const candidate = Array.isArray(value) ? value[0] : value;
  return typeof candidate === 'string' && SAFE_ID.test(candidate) ? candidate : undefined;
}
