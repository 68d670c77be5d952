// The limiter's shared state in Redis, updated by small Lua scripts (atomic, one round trip each).
//
// Why a script and not rate-limiter-flexible's RateLimiterRedis: that library counts points in fixed
// windows, so a window's whole budget may go at its end and the next window's at its start — twice the
// rate over a sliding minute, which is exactly what Entra's sliding quota refuses; its `execEvenly`
// spreads calls per process from the points left in the window, not across replicas; and it has no
// "everyone wait until" for a 429. GCRA (the generic cell rate algorithm) keeps one timestamp per budget —
// the theoretical arrival time (TAT) of the next call — so calls are spaced exactly 60/rpm s apart across
// every replica. Each caller reserves its slot (TAT moves on by one interval) and sleeps until it: no
// polling, no thundering herd.
//
// Burst tolerance (GCRA's τ = burst · T): a slot may be up to τ earlier than TAT, so an idle budget lets
// `burst` calls go at once beyond the spacing — one student's two Graph writes need not wait 60/R s for
// each other — and a busy one is spaced exactly as before (TAT only moves forward, by T per call). Any two
// slots k calls apart are then at least k·T − τ apart, so a window of W ms holds at most R·W/60,000 + burst
// of them (window-bound.ts). No tolerance while a 429 pause is in force: the callers it held do not go
// together at its end. The 429 pause and the AIMD factor live in the same hash, so a Retry-After
// seen by one replica holds back all of them. Time is Redis's (TIME), so replicas' clocks do not matter.
//
// Keys (hash-tagged by API so both sit in one Redis Cluster slot):
//   <prefix>:{<api>}:limits  rpm, writeRpm         a runtime change; absent → the configured limits; no TTL
//   <prefix>:{<api>}:state   tat:all, tat:write, pause, factor, since, strikes, lastStrike   (TTL: idle state expires)

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;

// Effective factor: the one stored at the last 429, doubled every `doubling` ms since (rate.types.ts
// recoveredFactor, the same formula).
// `recovery` is "<delayMs>:<doublingMs>".
const FACTOR = `local function factor(s, recovery, now)
  if not s[1] then return 1 end
  local delay, doubling = string.match(recovery, '([^:]+):([^:]+)')
  return math.min(1, tonumber(s[1]) * 2 ^ (math.max(0, now - tonumber(s[2]) - tonumber(delay)) / tonumber(doubling)))
end`;

const LIMITS = `local lim = redis.call('HMGET', KEYS[1], 'rpm', 'writeRpm')
local rpm = tonumber(lim[1]) or tonumber(ARGV[1])
local wrpm = tonumber(lim[2]) or tonumber(ARGV[2])`;

const fmt = (x: string) => `string.format('%.3f', ${x})`;

/** ARGV: defaultRpm, defaultWriteRpm (0 = none), write (0/1), maxWaitMs, recovery ('<delayMs>:<doublingMs>'), ttlMs, burst → {granted, waitMs, rpm, writeRpm, factor, now} */
export const RESERVE = `${NOW}
${FACTOR}
${LIMITS}
local s = redis.call('HMGET', KEYS[2], 'factor', 'since', 'tat:all', 'tat:write', 'pause')
local f = factor(s, ARGV[5], now)
local all = rpm * f
local writes = wrpm * f
local useWrite = ARGV[3] == '1' and wrpm > 0
local pause = tonumber(s[5]) or 0
local burst = tonumber(ARGV[7]) or 0
if pause > now then burst = 0 end
local tatAll = tonumber(s[3]) or 0
local tatWrite = tonumber(s[4]) or 0
local slot = math.max(now, pause, tatAll - burst * 60000 / all)
if useWrite then slot = math.max(slot, tatWrite - burst * 60000 / writes) end
local wait = slot - now
if wait > tonumber(ARGV[4]) then
  return {0, ${fmt('wait')}, ${fmt('all')}, ${fmt('writes')}, ${fmt('f')}, ${fmt('now')}}
end
redis.call('HSET', KEYS[2], 'tat:all', ${fmt('math.max(tatAll, slot) + 60000 / all')})
if useWrite then redis.call('HSET', KEYS[2], 'tat:write', ${fmt('math.max(tatWrite, slot) + 60000 / writes')}) end
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return {1, ${fmt('wait')}, ${fmt('all')}, ${fmt('writes')}, ${fmt('f')}, ${fmt('now')}}`;

/** → ms left of the 429 pause */
export const PAUSED_FOR = `${NOW}
local p = tonumber(redis.call('HGET', KEYS[2], 'pause')) or 0
return ${fmt('math.max(0, p - now)')}`;

/** → {ms left of the 429 pause, now}: what a caller checks when it wakes for its slot. */
export const WAKE = `${NOW}
local p = tonumber(redis.call('HGET', KEYS[2], 'pause')) or 0
return {${fmt('math.max(0, p - now)')}, ${fmt('now')}}`;

/**
 * ARGV: retryAfterMs (-1 = absent), backoffBaseMs, backoffMaxMs, strikeWindowMs, strikesToDecrease,
 * decreaseFactor, minFactor, recovery ('<delayMs>:<doublingMs>'), ttlMs → {waitMs, factor, decreased, newEpisode}
 */
export const THROTTLED = `${NOW}
${FACTOR}
local s = redis.call('HMGET', KEYS[2], 'factor', 'since', 'pause', 'strikes', 'lastStrike')
local f = factor(s, ARGV[8], now)
local pause = tonumber(s[3]) or 0
local ra = tonumber(ARGV[1])
-- Recovery starts again from the last 429: while they keep coming the rate does not climb.
if s[1] then redis.call('HSET', KEYS[2], 'factor', ${fmt('f')}, 'since', ${fmt('now')}) end
-- A 429 that arrives while a pause is in force was sent before it began: the same episode.
if now < pause then
  if ra >= 0 then pause = math.max(pause, now + ra) end
  redis.call('HSET', KEYS[2], 'pause', ${fmt('pause')})
  return {${fmt('pause - now')}, ${fmt('f')}, 0, 0}
end
local strikes = tonumber(s[4]) or 0
if now - (tonumber(s[5]) or 0) > tonumber(ARGV[4]) then strikes = 0 end
strikes = strikes + 1
local wait = ra
if ra < 0 then wait = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ (strikes - 1)) end
pause = math.max(pause, now + wait)
local decreased = 0
if strikes % tonumber(ARGV[5]) == 0 then
  f = math.max(tonumber(ARGV[7]), f * tonumber(ARGV[6]))
  decreased = 1
  redis.call('HSET', KEYS[2], 'factor', ${fmt('f')}, 'since', ${fmt('now')})
end
redis.call('HSET', KEYS[2], 'pause', ${fmt('pause')}, 'strikes', strikes, 'lastStrike', ${fmt('now')})
redis.call('PEXPIRE', KEYS[2], ARGV[9])
return {${fmt('wait')}, ${fmt('f')}, decreased, 1}`;

/** ARGV: defaultRpm, defaultWriteRpm, recovery ('<delayMs>:<doublingMs>') → {rpm, writeRpm, changed, factor, pausedForMs} */
export const SNAPSHOT = `${NOW}
${FACTOR}
${LIMITS}
local s = redis.call('HMGET', KEYS[2], 'factor', 'since', 'pause')
local changed = 0
if lim[1] then changed = 1 end
return {${fmt('rpm')}, ${fmt('wrpm')}, changed, ${fmt('factor(s, ARGV[3], now)')}, ${fmt('math.max(0, (tonumber(s[3]) or 0) - now)')}}`;
