import {
  DAY_MS,
  inboxCutoff,
  inboxKeepMs,
  outboxCutoff,
  parkedCutoff,
  REDELIVERY_MARGIN_MS,
  retryBudgetMs,
} from './retention-bounds.js';

const now = new Date('2027-03-20T12:00:00Z');
const delays = [1000, 5000, 30_000, 120_000];

describe('retention bounds', () => {
  it('the retry budget is the time a failing copy spends in every retry tier', () => {
    expect(retryBudgetMs(delays)).toBe(156_000);
    expect(retryBudgetMs([])).toBe(0);
  });

  it('keeps an applied id for the parked age, the retry budget and a day of margin', () => {
    expect(inboxKeepMs(delays, 7 * DAY_MS)).toBe(7 * DAY_MS + 156_000 + REDELIVERY_MARGIN_MS);
    const cutoff = inboxCutoff({ now, retryDelaysMs: delays, parkedRetentionMs: 7 * DAY_MS, oldestParkedAt: null });
    expect(cutoff.toISOString()).toBe(new Date(now.getTime() - 8 * DAY_MS - 156_000).toISOString());
  });

  it('never drops an id a copy still parked could bring back: the oldest parked copy bounds the cutoff', () => {
    // A copy parked 20 days ago (runs were far apart): its twin was applied at most the retry budget before.
    const oldestParkedAt = new Date(now.getTime() - 20 * DAY_MS);
    const cutoff = inboxCutoff({ now, retryDelaysMs: delays, parkedRetentionMs: 7 * DAY_MS, oldestParkedAt });
    expect(cutoff.getTime()).toBe(oldestParkedAt.getTime() - 156_000 - REDELIVERY_MARGIN_MS);
    // A recently parked copy does not move it later than the age allows.
    const recent = inboxCutoff({
      now,
      retryDelaysMs: delays,
      parkedRetentionMs: 7 * DAY_MS,
      oldestParkedAt: new Date(now.getTime() - 60_000),
    });
    expect(recent.getTime()).toBe(now.getTime() - inboxKeepMs(delays, 7 * DAY_MS));
  });

  it('a longer parked age keeps ids longer', () => {
    const a = inboxCutoff({ now, retryDelaysMs: delays, parkedRetentionMs: 7 * DAY_MS, oldestParkedAt: null });
    const b = inboxCutoff({ now, retryDelaysMs: delays, parkedRetentionMs: 30 * DAY_MS, oldestParkedAt: null });
    expect(b.getTime()).toBe(a.getTime() - 23 * DAY_MS);
  });

  it('parked messages go after their age; relayed outbox rows after a day', () => {
    expect(parkedCutoff(now, 7 * DAY_MS).toISOString()).toBe('2027-03-13T12:00:00.000Z');
    expect(outboxCutoff(now).toISOString()).toBe('2027-03-19T12:00:00.000Z');
  });
});
