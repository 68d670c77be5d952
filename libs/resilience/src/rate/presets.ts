// Rate defaults per external API, and `seed`: the pace of the system Lucy replaces.
import type { RateLimits } from './rate.types.js';

export type RatePresetName = 'default' | 'seed';

/**
 * default — a real tenant's budget, used without tripping it:
 *   graph: Entra ID allows 3,000 writes per 2 min 30 s per application and tenant (1,200/min); we take
 *     1,100/min (≈92%: headroom for an operator's manual work under the same app registration and for
 *     clock drift). All requests together: the smallest tenant's resource-unit quota is 3,500 RU per 10 s
 *     (21,000/min) and our costliest request (GET /users) costs 2–3 RU, so 6,000/min stays under it.
 *     500 students at 2 writes each: 1,000 writes ≈ 55 s.
 *   moodle: Moodle publishes no limit and "falls over under load": 5 requests/s (300/min).
 *   smtp: Exchange Online accepts 30 messages per minute per mailbox; relays are usually stricter.
 *   oneroster: a student information system's API publishes no limit either; 10 pages/s reads 60,000
 *     students at 100 a page in a minute, and a 429's Retry-After slows it further.
 * seed — the system Lucy replaces processed 10 students per minute (`time.sleep(60 / rate)`). Per
 *   student that is about 2 writes + 2 reads on Graph, about 6 Moodle calls (find user, create, course
 *   lookups, enrolments), 1 email.
 */
export const RATE_PRESETS: Record<string, Record<RatePresetName, RateLimits>> = {
  graph: { default: { rpm: 6000, writeRpm: 1100 }, seed: { rpm: 40, writeRpm: 20 } },
  moodle: { default: { rpm: 300 }, seed: { rpm: 60 } },
  smtp: { default: { rpm: 30 }, seed: { rpm: 10 } },
  oneroster: { default: { rpm: 600 }, seed: { rpm: 60 } },
};

/**
 * Calls an idle budget may send at once beyond the spacing (the GCRA's burst tolerance, rate-limiter.ts),
 * per API and preset; `<P>_RATE_BURST` overrides it.
 *   graph: 4 — two students' accounts (create + licence each) without waiting 60/R for each other. Any
 *     150 s then holds at most 2,750 write slots at 1,100/min + 4 + 5 for the late tolerance = 2,759 writes,
 *     within Entra's 3,000 (presets.spec.ts checks it), and 241 left for an operator's manual work.
 *   moodle, smtp: none — Moodle falls over under load and relays refuse bursts; a student's Moodle calls
 *     and email are not on the account's path, and an idle budget already grants its first call at once.
 *   seed: none — the old system's pace, exactly.
 */
export const RATE_BURSTS: Record<string, Record<RatePresetName, number>> = {
  graph: { default: 4, seed: 0 },
};

/** Entra ID's write quota per application and tenant: what graph's default preset must stay within. */
export const ENTRA_WRITE_QUOTA = { writes: 3000, windowMs: 150_000 };

/** The preset for an API; an API without one gets a cautious 60/min. */
export function ratePreset(api: string, name: RatePresetName = 'default'): RateLimits {
  return { ...(RATE_PRESETS[api]?.[name] ?? { rpm: name === 'seed' ? 10 : 60 }) };
}

/** The preset's burst tolerance (calls); 0 for an API without one. */
export function rateBurst(api: string, name: RatePresetName = 'default'): number {
  return RATE_BURSTS[api]?.[name] ?? 0;
}
