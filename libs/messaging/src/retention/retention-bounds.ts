// How long the transport must keep what it wrote, so that removing it can never let a message be applied
// twice. Pure: the cutoffs from the retry delays, the parked messages' age and the oldest still parked.
//
// Why the inbox bound is what it is: an applied message's id must stay in the inbox as long as the broker
// may deliver a copy of that message again (the outbox relay can publish a row twice when a confirm and
// its commit race, and an operator may replay a parked copy). A copy is in one of three places:
//   - its queue: an ack lost with a crash is redelivered at once; a copy waiting behind a paused queue
//     (a breaker open for hours) is what the margin covers;
//   - a retry tier: at most the sum of the retry delays (RETRY_DELAYS_MS) before it is parked;
//   - the parking queue: until an operator replays or discards it, or a retention run removes it once it
//     is older than the parked age (aparcadosDias). The same run removes those just before it purges the
//     inbox, so however far apart runs are, every copy left parked is younger than the parked age.
// So: keep = parked age + retry budget + margin. And, should a copy older than that be left parked (a
// clock apart, a removal cut short), the oldest one left bounds the cutoff too: its twin was applied at
// most the retry budget (and the margin) before it was parked, and a replay may bring it back any minute.
export const DAY_MS = 86_400_000;

/** Over the computed window: a copy held in a paused queue, clocks a little apart. */
export const REDELIVERY_MARGIN_MS = DAY_MS;

/**
 * Relayed outbox rows are needed by no redelivery (the broker confirmed them; a row is resent only while
 * unsent): they are kept a day for inspection, then the relay removes them (outbox.relay.ts, its only
 * owner; a retention run counts those still past the day). Unsent rows are never removed.
 */
export const RELAYED_OUTBOX_KEEP_MS = DAY_MS;

/** The longest a failing copy spends in the retry tiers before it is parked. */
export function retryBudgetMs(retryDelaysMs: readonly number[]): number {
  return retryDelaysMs.reduce((sum, d) => sum + Math.max(0, d), 0);
}

/** How long an applied message's id stays in the inbox (see above). */
export function inboxKeepMs(retryDelaysMs: readonly number[], parkedRetentionMs: number): number {
  return parkedRetentionMs + retryBudgetMs(retryDelaysMs) + REDELIVERY_MARGIN_MS;
}

/** Ids applied before this may go: never while a parked copy could still be replayed. */
export function inboxCutoff(p: {
  now: Date;
  retryDelaysMs: readonly number[];
  parkedRetentionMs: number;
  /** When the oldest message still parked (after this run's removal) was parked, or null if none is. */
  oldestParkedAt: Date | null;
}): Date {
  const byAge = p.now.getTime() - inboxKeepMs(p.retryDelaysMs, p.parkedRetentionMs);
  const byParked =
    p.oldestParkedAt === null
      ? Infinity
      : p.oldestParkedAt.getTime() - retryBudgetMs(p.retryDelaysMs) - REDELIVERY_MARGIN_MS;
  return new Date(Math.min(byAge, byParked));
}

/** Parked messages parked before this go. */
export const parkedCutoff = (now: Date, parkedRetentionMs: number): Date => new Date(now.getTime() - parkedRetentionMs);

/** Relayed outbox rows published before this go. */
export const outboxCutoff = (now: Date): Date => new Date(now.getTime() - RELAYED_OUTBOX_KEEP_MS);
