// A Redis connection per test file and unique API names, so runs share nothing and leave nothing.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function connectRedis(url = REDIS_URL): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: 1000,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
}

export async function ready(redis: Redis): Promise<Redis> {
  if (redis.status !== 'ready') await new Promise((r) => redis.once('ready', r));
  return redis;
}

export const uniqueApi = (name: string) => `test-${name}-${randomUUID().slice(0, 8)}`;

export async function dropKeys(redis: Redis, api: string): Promise<void> {
  const keys = await redis.keys(`lucy:ratelimit:{${api}}:*`);
  if (keys.length) await redis.del(...keys);
}

/** The largest number of timestamps inside any window of `windowMs`. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j] - t[i] >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
