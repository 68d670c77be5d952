// The limiter's state in Redis, shared by every replica of every service that calls the same API.
import type { Redis } from 'ioredis';
import { PAUSED_FOR, RESERVE, SNAPSHOT, THROTTLED, WAKE } from './gcra.lua.js';
import type {
  AimdOptions,
  BackoffOptions,
  RateLimits,
  RateSnapshot,
  RateStore,
  Reservation,
  ThrottleOutcome,
  Wake,
} from './rate.types.js';

type Script = 'lucyRateReserve' | 'lucyRatePausedFor' | 'lucyRateWake' | 'lucyRateThrottled' | 'lucyRateSnapshot';
type ScriptFn = (k1: string, k2: string, ...args: (string | number)[]) => Promise<unknown>;

/** The recovery settings as the scripts take them (one argument). */
const recovery = (a: AimdOptions) => `${a.recoveryDelayMs}:${a.recoveryDoublingMs}`;

/** Idle state (TATs, pause, factor) expires after this; the runtime limits do not. */
const STATE_TTL_MS = 3_600_000;

export class RedisRateStore implements RateStore {
  private readonly limitsKey: string;
  private readonly stateKey: string;

  constructor(
    private readonly redis: Redis,
    api: string,
    prefix = 'lucy:ratelimit',
  ) {
    this.limitsKey = `${prefix}:{${api}}:limits`;
    this.stateKey = `${prefix}:{${api}}:state`;
    const scripts: [Script, string][] = [
      ['lucyRateReserve', RESERVE],
      ['lucyRatePausedFor', PAUSED_FOR],
      ['lucyRateWake', WAKE],
      ['lucyRateThrottled', THROTTLED],
      ['lucyRateSnapshot', SNAPSHOT],
    ];
    // defineCommand runs EVALSHA and falls back to EVAL once when Redis does not know the script yet.
    for (const [name, lua] of scripts) if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 2, lua });
  }

  private run(name: Script, ...args: (string | number)[]): Promise<string[]> {
    const fn = (this.redis as unknown as Record<Script, ScriptFn>)[name];
    return fn.call(this.redis, this.limitsKey, this.stateKey, ...args) as Promise<string[]>;
  }

  async reserve(
    defaults: RateLimits,
    write: boolean,
    maxWaitMs: number,
    aimd: AimdOptions,
    burst = 0,
  ): Promise<Reservation> {
    const [granted, wait, rpm, writeRpm, factor, now] = await this.run(
      'lucyRateReserve',
      defaults.rpm,
      defaults.writeRpm ?? 0,
      write ? 1 : 0,
      maxWaitMs,
      recovery(aimd),
      STATE_TTL_MS,
      burst,
    );
    return {
      granted: Number(granted) === 1,
      waitMs: Number(wait),
      rpm: Number(rpm),
      writeRpm: Number(writeRpm) > 0 ? Number(writeRpm) : null,
      factor: Number(factor),
      now: Number(now),
    };
  }

  async pausedFor(): Promise<number> {
    return Number(await this.run('lucyRatePausedFor'));
  }

  async wake(): Promise<Wake> {
    const [paused, now] = await this.run('lucyRateWake');
    return { pausedForMs: Number(paused), now: Number(now) };
  }

  async throttled(
    retryAfterMs: number | undefined,
    aimd: AimdOptions,
    backoff: BackoffOptions,
  ): Promise<ThrottleOutcome> {
    const [wait, factor, decreased, fresh] = await this.run(
      'lucyRateThrottled',
      retryAfterMs ?? -1,
      backoff.baseMs,
      backoff.maxMs,
      aimd.strikeWindowMs,
      aimd.strikesToDecrease,
      aimd.decreaseFactor,
      aimd.minFactor,
      recovery(aimd),
      STATE_TTL_MS,
    );
    return {
      waitMs: Number(wait),
      factor: Number(factor),
      decreased: Number(decreased) === 1,
      newEpisode: Number(fresh) === 1,
    };
  }

  async setLimits(limits: RateLimits | null): Promise<void> {
    if (limits === null) await this.redis.del(this.limitsKey);
    else await this.redis.hset(this.limitsKey, { rpm: limits.rpm, writeRpm: limits.writeRpm ?? 0 });
  }

  async snapshot(defaults: RateLimits, aimd: AimdOptions): Promise<RateSnapshot> {
    const [rpm, writeRpm, changed, factor, paused] = await this.run(
      'lucyRateSnapshot',
      defaults.rpm,
      defaults.writeRpm ?? 0,
      recovery(aimd),
    );
    return {
      limits: { rpm: Number(rpm), writeRpm: Number(writeRpm) > 0 ? Number(writeRpm) : null },
      changedAtRuntime: Number(changed) === 1,
      factor: Number(factor),
      pausedForMs: Number(paused),
    };
  }
}
