// The Nest face of libs/resilience:
//   ResilienceModule.forDependency({ name: 'graph', env: 'GRAPH', classify })  → @InjectGuard('graph')
// The first one also brings the shared part (global): the Redis connection, the registry of guards and
// the control handlers (ReiniciarBreaker, LimitesCambiados) on <service>.control.
import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { MessagingRuntime } from '@lucy/messaging';
import { APP_CONFIG, createLogger, HealthRegistry, MetricsService, type BaseConfig } from '@lucy/platform';
import { BreakerQueues } from '../breaker/breaker-queues.js';
import type { BreakerOptions } from '../breaker/breaker.js';
import type { ErrorClassifier } from '../classify.js';
import { dependencyOptionsFrom } from '../config.js';
import { createDependencyGuard, type GuardSpec } from '../guard/create-guard.js';
import type { DependencyGuard } from '../guard/dependency-guard.js';
import { readmissionFor, runAdmitted, type CallBudget } from '../guard/admission.js';
import { ResilienceControl } from './control.js';
import { GuardRegistry } from './guard.registry.js';
import { guardToken, RESILIENCE_REDIS } from './tokens.js';

const RESILIENCE_LOG = Symbol.for('lucy.resilience.LOG');

@Injectable()
class ResilienceLifecycle implements OnModuleInit, OnApplicationShutdown {
  private control?: ResilienceControl;

  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseConfig,
    private readonly guards: GuardRegistry,
    @Inject(RESILIENCE_LOG) private readonly log: Logger,
    @Inject(RESILIENCE_REDIS) private readonly redis: Redis,
    @Optional() private readonly runtime?: MessagingRuntime,
  ) {}

  onModuleInit(): void {
    if (!this.runtime) return;
    this.control = new ResilienceControl(this.config.SERVICE_NAME, this.guards, this.log, this.redis);
    this.control.register(this.runtime);
    this.control.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const g of this.guards.all()) g.shutdown();
    await this.control?.close();
    this.redis.disconnect();
  }
}

@Global()
@Module({
  providers: [
    GuardRegistry,
    {
      provide: RESILIENCE_LOG,
      inject: [APP_CONFIG],
      useFactory: (c: BaseConfig) =>
        createLogger(c.SERVICE_NAME, { level: c.LOG_LEVEL }).child({ component: 'resilience' }),
    },
    {
      provide: RESILIENCE_REDIS,
      inject: [APP_CONFIG, RESILIENCE_LOG],
      useFactory: (config: BaseConfig & { REDIS_URL?: string }, log: Logger) => {
        const redis = new Redis(config.REDIS_URL ?? 'redis://127.0.0.1:6379', {
          // Fail fast while Redis is away, so the limiter falls back at once instead of queueing calls.
          enableOfflineQueue: false,
          commandTimeout: 1000,
          maxRetriesPerRequest: 1,
          connectionName: config.SERVICE_NAME,
        });
        let down = false;
        redis.on('error', (err: Error) => {
          if (!down) log.warn({ err: err.message }, 'Redis unreachable');
          down = true;
        });
        redis.on('ready', () => (down = false));
        return redis;
      },
    },
    ResilienceLifecycle,
  ],
  exports: [GuardRegistry, RESILIENCE_REDIS, RESILIENCE_LOG],
})
class ResilienceCoreModule {}

export interface DependencyModuleOptions {
  /** The dependency ('graph', 'moodle', 'smtp'): names the breaker, its metrics, health entry and events. */
  name: string;
  /** Read the rate and breaker settings from the configuration under this prefix (GRAPH → GRAPH_RPM, ...). */
  env?: string;
  /** Whose budget the calls spend (and which preset applies); default `name`. */
  api?: string;
  /** Queues paused while the breaker is open; default the service's main queue. */
  queues?: string[];
  /** Explicit settings; they win over the environment. `rate: false` for no rate limit. */
  rate?: GuardSpec['rate'];
  breaker?: Partial<BreakerOptions>;
  classify?: ErrorClassifier;
  probe?: GuardSpec['probe'];
  maxThrottleRetries?: number;
  /**
   * The calls each message type's handler makes to this dependency (by definition id, `alumno.creado@v1`),
   * reserved and waited for before its transaction opens. A type not listed reserves nothing up front: its
   * handler goes back to the admission once per call (correct, a little slower).
   */
  calls?: Record<string, CallBudget>;
}

@Module({})
export class ResilienceModule {
  static forDependency(options: DependencyModuleOptions): DynamicModule {
    const token = guardToken(options.name);
    return {
      module: ResilienceModule,
      imports: [ResilienceCoreModule],
      providers: [
        {
          provide: token,
          inject: [
            APP_CONFIG,
            GuardRegistry,
            RESILIENCE_REDIS,
            RESILIENCE_LOG,
            { token: MetricsService, optional: true },
            { token: MessagingRuntime, optional: true },
            { token: HealthRegistry, optional: true },
          ],
          useFactory: (
            config: BaseConfig & { RATE_LIMIT_REPLICAS?: number },
            registry: GuardRegistry,
            redis: Redis,
            log: Logger,
            metrics?: MetricsService,
            runtime?: MessagingRuntime,
            health?: HealthRegistry,
          ): DependencyGuard => {
            const api = options.api ?? options.name;
            const fromEnv = options.env
              ? dependencyOptionsFrom(config as unknown as Record<string, unknown>, options.env, api)
              : undefined;
            const rate: GuardSpec['rate'] =
              options.rate === false
                ? false
                : {
                    api,
                    replicas: config.RATE_LIMIT_REPLICAS ?? 2,
                    ...fromEnv?.rate,
                    ...(options.rate ?? {}),
                    limits: options.rate?.limits ?? fromEnv?.rate.limits ?? { rpm: 60 },
                  };
            const guard = createDependencyGuard(
              {
                name: options.name,
                rate,
                breaker: { ...fromEnv?.breaker, ...options.breaker },
                classify: options.classify,
                probe: options.probe,
                maxThrottleRetries: options.maxThrottleRetries,
              },
              { redis, registry: metrics?.registry, log },
            );
            registry.add(guard);
            const queues = options.queues ?? [config.SERVICE_NAME];
            if (runtime) {
              new BreakerQueues(guard, runtime, { service: config.SERVICE_NAME, queues, log });
              // With `calls` declared, every message of these queues waits for its calls' rate slots (and a
              // closed breaker) before it takes a database connection; its handler then spends them without
              // waiting. Without, each call waits for its own slot when it is made (teams-service: see its module).
              for (const queue of options.calls ? queues : []) {
                runtime.admit(queue, async (req) => {
                  const budget = readmissionFor(guard.name, req.again?.detail) ?? options.calls?.[req.type] ?? {};
                  const tickets = await guard.admit(budget);
                  return { run: (fn) => runAdmitted(guard.name, tickets, fn) };
                });
              }
            }
            // An open breaker does not make the service unready: it is alive, and waiting on purpose.
            health?.register(`breaker:${options.name}`, async () => ({
              up: true,
              details: {
                ...guard.describe(),
                rateLimit: guard.limiter
                  ? await guard.limiter.snapshot().catch((e: Error) => ({ error: e.message }))
                  : null,
              },
            }));
            return guard;
          },
        },
      ],
      exports: [token],
    };
  }
}

export { ResilienceCoreModule };
