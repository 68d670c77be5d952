// The headers a failed message carries on its way to a retry queue or the parking queue: why it failed,
// how often, where it came from, and when it first and last failed.
import type { MessageProperties } from 'amqplib';

export const H = {
  attempts: 'x-lucy-attempts',
  error: 'x-lucy-error',
  errorCode: 'x-lucy-error-code',
  originalQueue: 'x-lucy-original-queue',
  firstFailure: 'x-lucy-first-failure',
  lastFailure: 'x-lucy-last-failure',
  parkedAt: 'x-lucy-parked-at',
  replayedAt: 'x-lucy-replayed-at',
  /** Times the message was set aside without counting an attempt (DeferError), and the last reason. */
  deferrals: 'x-lucy-deferrals',
  deferredBecause: 'x-lucy-deferred-because',
} as const;

export function attemptsSoFar(props: MessageProperties): number {
  const n = Number(props.headers?.[H.attempts] ?? 0);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

function withoutRabbitDeathHeaders(props: MessageProperties): Record<string, unknown> {
  const headers: Record<string, unknown> = { ...(props.headers ?? {}) };
  // RabbitMQ's own dead-letter bookkeeping grows with every retry tier; ours says it more plainly.
  delete headers['x-death'];
  delete headers['x-first-death-exchange'];
  delete headers['x-first-death-queue'];
  delete headers['x-first-death-reason'];
  return headers;
}

/** A deferral leaves the attempt count and failure history as they were. */
export function deferralHeaders(props: MessageProperties, reason: string): Record<string, unknown> {
  const headers = withoutRabbitDeathHeaders(props);
  const n = Number(headers[H.deferrals] ?? 0);
  return { ...headers, [H.deferrals]: (Number.isFinite(n) ? n : 0) + 1, [H.deferredBecause]: reason };
}

export function failureHeaders(
  props: MessageProperties,
  queue: string,
  error: string,
  code: string | undefined,
  attempts: number,
): Record<string, unknown> {
  const now = new Date().toISOString();
  const headers = withoutRabbitDeathHeaders(props);
  return {
    ...headers,
    [H.attempts]: attempts,
    [H.error]: error,
    [H.errorCode]: code ?? null,
    [H.originalQueue]: queue,
    [H.firstFailure]: headers[H.firstFailure] ?? now,
    [H.lastFailure]: now,
  };
}
