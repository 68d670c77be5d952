// The rate limiter keeps its state in Redis under the API's name ('smtp'); the mail tests keep theirs in
// a database of their own, so a pause they provoke holds back no one else's sends, and drop it after.
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/5`;

export async function forgetRateState(url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys = await redis.keys('lucy:ratelimit:{smtp}:*');
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
