// The Nest face of libs/runtime-config:
//
//   RuntimeConfigModule.forService({ keys: ['loteTamano'], fromEnv: (c: IngestConfig) => ({ loteTamano: c.BATCH_SIZE }) })
//   constructor(private readonly runtime: RuntimeConfig<'loteTamano'>) {}   …   this.runtime.get('loteTamano')
//
// How a change reaches every replica without a restart: ConfiguracionCambiada is consumed from
// <service>.control (never paused, so a change lands even while a breaker holds the main queue) by one
// replica, which stores it in the service's own table in the message's transaction; every replica
// re-reads that one row every CONFIG_POLL_MS (and the consuming one at once). The row also carries the
// version over a restart, and a replica that starts reads it before it takes any message.
import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { ConfiguracionCambiada, type Configuracion } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import {
  APP_CONFIG,
  createLogger,
  HealthRegistry,
  MetricsService,
  PeriodicTask,
  type BaseConfig,
} from '@lucy/platform';
import { controlQueueOf } from '@lucy/resilience';
import { RuntimeConfig, type ConfigCheck, type ConfigKey } from './runtime-config.js';
import { RuntimeConfigStore } from './runtime-config.store.js';

export interface RuntimeConfigOptions<K extends ConfigKey, C> {
  /** The keys of the gateway's configuration this service applies. */
  keys: readonly K[];
  /** Their values from the service's own environment: in force until an operator sets them. */
  fromEnv: (config: C) => Pick<Configuracion, K>;
  /** Extra checks of a value before it is applied (the gateway validated its shape already). */
  checks?: ConfigCheck<K>;
}

@Injectable()
class RuntimeConfigLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  private readonly store: RuntimeConfigStore;
  private readonly log;
  private readonly poll: PeriodicTask;
  private failing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseConfig,
    private readonly runtimeConfig: RuntimeConfig,
    private readonly db: DataSource,
    @Optional() private readonly messaging?: MessagingRuntime,
    @Optional() private readonly health?: HealthRegistry,
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.store = new RuntimeConfigStore(config.DB_SCHEMA);
    this.log = createLogger(config.SERVICE_NAME, { level: config.LOG_LEVEL }).child({ component: 'runtime-config' });
    runtimeConfig.onChange((keys) =>
      this.log.info({ keys, ...runtimeConfig.describe() }, 'runtime configuration applied'),
    );
    this.poll = new PeriodicTask({
      name: 'runtime-config',
      everyMs: config.CONFIG_POLL_MS,
      run: async () => {
        const stored = await this.store.load(this.db);
        if (stored) this.runtimeConfig.apply(stored);
        if (this.failing) this.log.info('runtime configuration readable again');
        this.failing = false;
      },
      onError: (err) => {
        // The database is away for a moment: keep the values in force and try again on the next tick.
        if (!this.failing)
          this.log.warn(
            { err: (err as Error).message },
            'could not read the runtime configuration; keeping the values in force',
          );
        this.failing = true;
      },
    });
  }

  async onModuleInit(): Promise<void> {
    // Before any message is taken: the first student after a restart sees the operator's values.
    await this.refresh();
    this.messaging?.handle(
      ConfiguracionCambiada,
      async (evento, ctx) => {
        const previo = await this.store.load(ctx.manager, { lock: true });
        if (previo && previo.version >= evento.version) return;
        // Older publishers do not say which keys were set: then all of them were.
        const decidido = this.runtimeConfig.decide(
          { valores: evento.valores, fijadas: evento.fijadas ?? Object.keys(evento.valores) },
          previo,
        );
        await this.store.save(ctx.manager, { version: evento.version, cambiadoPor: evento.cambiadoPor, ...decidido });
        // Stored with the message's commit, a moment from now; the poll picks it up if this is early.
        setTimeout(() => void this.refresh(), 50).unref();
      },
      { queue: controlQueueOf(this.config.SERVICE_NAME), name: 'ConfiguracionCambiadaHandler' },
    );
    this.poll.start();
    this.health?.register('configuracion', async () => ({ up: true, details: { ...this.runtimeConfig.describe() } }));
    if (this.metrics) {
      const rc = this.runtimeConfig;
      new Gauge({
        name: 'lucy_config_version',
        help: 'Version of the runtime configuration this replica applies (0: its environment only)',
        registers: [this.metrics.registry],
        collect() {
          this.set(rc.version);
        },
      });
      // A refused key keeps its previous value, silently for the service: the alert on this is how an
      // operator learns that the change they saved is not (all) in force.
      new Gauge({
        name: 'lucy_config_rejected_keys',
        help: 'Keys of the runtime configuration this replica refused (their previous value stays in force)',
        registers: [this.metrics.registry],
        collect() {
          this.set(Object.keys(rc.describe().rechazadas).length);
        },
      });
    }
  }

  /** Reads the stored version and applies it if it is newer; one read at a time. */
  refresh(): Promise<void> {
    return this.poll.runNow();
  }

  /** Before the database closes (its module shuts down after this hook): no read may start after it. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.poll.stop();
  }
}

@Module({})
export class RuntimeConfigModule {
  static forService<K extends ConfigKey, C = any>(options: RuntimeConfigOptions<K, C>): DynamicModule {
    return {
      module: RuntimeConfigModule,
      global: true,
      providers: [
        {
          provide: RuntimeConfig,
          inject: [APP_CONFIG],
          useFactory: (config: BaseConfig & C) => {
            const log = createLogger(config.SERVICE_NAME, { level: config.LOG_LEVEL }).child({
              component: 'runtime-config',
            });
            return new RuntimeConfig<K>(options.keys, options.fromEnv(config), options.checks, (err) =>
              log.error({ err: err.message }, 'a listener failed to apply the runtime configuration'),
            );
          },
        },
        RuntimeConfigLifecycle,
      ],
      exports: [RuntimeConfig],
    };
  }
}
