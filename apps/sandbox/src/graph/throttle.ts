// Entra ID's throttling as Microsoft Graph documents it ("Microsoft Graph service-specific throttling
// limits" → "Identity and access service limits"): token buckets per application+tenant pair, one of
// resource units (S 3,500 / M 5,000 / L 8,000 per 10 s) and one of writes (3,000 per 2 min 30 s).
// A request costs its base resource units (GET users 2, GET subscribedSkus 3, anything else 1; POST,
// PATCH, PUT, DELETE also cost 1 write), minus 1 with $select, plus 1 with $expand, minus 1 with
// $top < 20, never below 1. Only requests over a limit are refused; Retry-After is the time until the
// bucket holds enough for this request again.
import type { ThrottleConfig } from './config.js';

export type TenantSize = 'small' | 'medium' | 'large';

export function tenantSizeFor(userCount: number): TenantSize {
  return userCount < 50 ? 'small' : userCount <= 500 ? 'medium' : 'large';
}

const BASE_COST: Record<string, number> = { 'GET /users': 2, 'GET /subscribedSkus': 3 };

export function requestCost(method: string, template: string, query: URLSearchParams): { ru: number; writes: number } {
  let ru = BASE_COST[`${method} ${template}`] ?? 1;
  if (query.has('$select')) ru -= 1;
  if (query.has('$expand')) ru += 1;
  const top = Number(query.get('$top'));
  if (query.has('$top') && top < 20) ru -= 1;
  return { ru: Math.max(1, ru), writes: method === 'GET' || method === 'HEAD' ? 0 : 1 };
}

interface Bucket {
  tokens: number;
  at: number;
}

export type ThrottleVerdict =
  | { ok: true; ruUsedPercent: number }
  | {
      ok: false;
      retryAfterSeconds: number;
      limit: 'ReadWrite' | 'Write';
      information: 'ResourceUnitLimitExceeded' | 'WriteLimitExceeded';
    };

export class Throttler {
  private readonly ru = new Map<string, Bucket>();
  private readonly writes = new Map<string, Bucket>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Takes the request's cost from the pair's buckets, or says how long to wait. */
  take(key: string, cost: { ru: number; writes: number }, config: ThrottleConfig, size: TenantSize): ThrottleVerdict {
    if (!config.enabled) return { ok: true, ruUsedPercent: 0 };
    const now = this.clock();
    const ruCap = config.resourceUnits[size];
    const ruRate = ruCap / (config.resourceUnitWindowSeconds * 1000);
    const ru = refill(this.ru, key, ruCap, ruRate, now);
    const wCap = config.writeLimit;
    const wRate = wCap / (config.writeWindowSeconds * 1000);
    const w = refill(this.writes, key, wCap, wRate, now);
    if (ru.tokens < cost.ru) {
      return {
        ok: false,
        retryAfterSeconds: wait(cost.ru, ru.tokens, ruCap, ruRate),
        limit: 'ReadWrite',
        information: 'ResourceUnitLimitExceeded',
      };
    }
    if (cost.writes && w.tokens < cost.writes) {
      return {
        ok: false,
        retryAfterSeconds: wait(cost.writes, w.tokens, wCap, wRate),
        limit: 'Write',
        information: 'WriteLimitExceeded',
      };
    }
    ru.tokens -= cost.ru;
    w.tokens -= cost.writes;
    return { ok: true, ruUsedPercent: (ruCap - ru.tokens) / ruCap };
  }

  reset(): void {
    this.ru.clear();
    this.writes.clear();
  }
}

function refill(map: Map<string, Bucket>, key: string, cap: number, ratePerMs: number, now: number): Bucket {
  const b = map.get(key) ?? { tokens: cap, at: now };
  b.tokens = Math.min(cap, b.tokens + (now - b.at) * ratePerMs);
  b.at = now;
  map.set(key, b);
  return b;
}

/** Whole seconds until `need` tokens are back (a request larger than the bucket waits a full window). */
function wait(need: number, have: number, cap: number, ratePerMs: number): number {
  const missing = Math.min(need, cap) - have;
  return Math.max(1, Math.ceil(missing / ratePerMs / 1000));
}
