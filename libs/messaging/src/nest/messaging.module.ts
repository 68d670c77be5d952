// The Nest face of libs/messaging: MessagingModule.forRootAsync wires the runtime to the service's
// DataSource, logger, metrics registry and health registry, registers every @Handler, starts after the
// app is bootstrapped and stops gracefully before it shuts down.
import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger as NestLogger,
  Module,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { APP_CONFIG, createLogger, HealthRegistry, MetricsService, type BaseConfig } from '@lucy/platform';
import { messagingDefaults, type MessagingOptions } from '../options.js';
import { MessagingRuntime } from '../runtime.js';
import { registerRetention } from '../retention/retention-handler.js';
import { HANDLER_METADATA, type HandlerMetadata } from './handler.decorator.js';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: any[];
  useFactory: (...args: any[]) => MessagingOptions | Promise<MessagingOptions>;
}

@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new NestLogger('Messaging');

  constructor(
    private readonly runtime: MessagingRuntime,
    private readonly discovery: DiscoveryService,
    @Optional() private readonly health?: HealthRegistry,
    @Optional() private readonly dataSource?: DataSource,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const meta = Reflect.getMetadata(HANDLER_METADATA, metatype) as HandlerMetadata | undefined;
      if (!meta) continue;
      if (typeof instance.handle !== 'function')
        throw new Error(`${metatype.name} is a @Handler without a handle() method`);
      const handle = (payload: unknown, ctx: unknown) => instance.handle(payload, ctx);
      const base = { queue: meta.queue, name: metatype.name, onFailure: meta.onFailure };
      if (meta.transaction === 'own')
        this.runtime.handle(meta.definition, handle, { ...base, transaction: 'own', lease: meta.lease });
      else this.runtime.handle(meta.definition, handle, base);
    }
    if (this.runtime.opts.retention) {
      if (!this.dataSource) throw new Error('messaging: retention needs a DataSource');
      registerRetention(
        this.runtime,
        this.dataSource,
        createLogger(this.runtime.opts.service, { level: this.runtime.opts.logLevel }),
      );
    }
    this.health?.register('broker', async () => {
      const status = this.runtime.connection.status();
      return {
        up: status.connected,
        details: { ...status, outboxPending: await this.runtime.outboxPending().catch(() => null) },
      };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
    this.log.log(`consuming ${this.runtime.queues().join(', ') || '(no queues)'}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        { provide: MESSAGING_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: MessagingRuntime,
          inject: [MESSAGING_OPTIONS, { token: DataSource, optional: true }, { token: MetricsService, optional: true }],
          useFactory: (opts: MessagingOptions, dataSource?: DataSource, metrics?: MetricsService) =>
            new MessagingRuntime(opts, {
              log: createLogger(opts.service, { level: opts.logLevel }),
              dataSource,
              registry: metrics?.registry,
            }),
        },
        MessagingLifecycle,
      ],
      exports: [MessagingRuntime],
    };
  }

  /** The usual wiring: options from the service's configuration (APP_CONFIG). */
  static forService(overrides: Partial<MessagingOptions> = {}): DynamicModule {
    return MessagingModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: BaseConfig) => messagingOptionsFrom(config, overrides),
    });
  }
}

/** The transport options a service's validated configuration implies (RABBITMQ_*, RETRY_DELAYS_MS, ...). */
export function messagingOptionsFrom(config: BaseConfig, overrides: Partial<MessagingOptions> = {}): MessagingOptions {
  return {
    ...messagingDefaults(config.SERVICE_NAME, config.RABBITMQ_URL),
    prefetch: config.RABBITMQ_PREFETCH,
    queueType: config.RABBITMQ_QUEUE_TYPE,
    retryDelaysMs: config.RETRY_DELAYS_MS,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    logLevel: config.LOG_LEVEL,
    ...(config.MESSAGING_SQL ? { sql: config.MESSAGING_SQL } : {}),
    ...overrides,
  };
}

export const InjectMessaging = () => Inject(MessagingRuntime);
