// Where a chaos run lives: a RabbitMQ vhost, a PostgreSQL database and a Redis database of its own (and
// its own ports, see main.ts), made fresh at the start and, unless --keep, removed at the end. It never
// runs in a shared place: without a vhost of its own it refuses to start.
import { Redis } from 'ioredis';
import { amqpUrlFor, databaseUrlFor, deleteVhost, dropDatabase, freshVhost } from '../isolation.js';
import type { ChaosOptions } from './options.js';

export interface ChaosEnvironment {
  rabbitmqUrl: string;
  databaseUrl: string;
  redisUrl: string;
  dispose(keep: boolean): Promise<void>;
}

export async function chaosEnvironment(
  o: Pick<ChaosOptions, 'vhost' | 'database' | 'redisDb'>,
): Promise<ChaosEnvironment> {
  await freshVhost(o.vhost).catch((err: Error) => {
    throw new Error(
      `could not make the vhost ${o.vhost} (rabbitmqctl, or the management API at RABBITMQ_MANAGEMENT_URL): ${err.message}`,
    );
  });
  const databaseUrl = databaseUrlFor(o.database);
  await dropDatabase(databaseUrl); // a previous run's, kept with --keep: each service creates it again
  const redisUrl = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/${o.redisDb}`;
  await forgetLucyKeys(redisUrl); // rate-limit and breaker state a previous run left
  return {
    rabbitmqUrl: amqpUrlFor(o.vhost),
    databaseUrl,
    redisUrl,
    async dispose(keep) {
      await forgetLucyKeys(redisUrl).catch(() => undefined);
      if (keep) return;
      await deleteVhost(o.vhost).catch(() => undefined);
      await dropDatabase(databaseUrl).catch(() => undefined);
    },
  };
}

async function forgetLucyKeys(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const keys = await redis.keys('lucy:*');
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
