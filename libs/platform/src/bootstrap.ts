import 'reflect-metadata';
import { type INestApplication, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppConfigModule } from './config/app-config.module.js';
import type { BaseConfig } from './config/base-config.schema.js';
import { guardInput } from './http/input-guards.js';
import { BootLogger } from './logging/boot-logger.js';
import { createLogger } from './logging/create-logger.js';
import { LoggingModule, type LoggingOptions } from './logging/logging.module.js';

export interface BootstrapOptions<C extends BaseConfig> {
  /** The service name, for logs and metrics; SERVICE_NAME from the configuration when omitted. */
  name?: string;
  /** The service's root module (wiring only). */
  module: Type<unknown>;
  /** The validated configuration: injectable everywhere as APP_CONFIG. */
  config: C;
  /** Overrides config.PORT (tests pass 0). */
  port?: number;
  logging?: LoggingOptions;
}

/**
 * Creates and starts a service: configuration and pino logging around its module, request URL and
 * body limits, shutdown on SIGTERM/SIGINT (bounded by SHUTDOWN_TIMEOUT_MS), listening on HOST:PORT.
 * Returns the running app; `await app.getUrl()` gives its address.
 */
export async function bootstrapService<C extends BaseConfig>(options: BootstrapOptions<C>): Promise<INestApplication> {
  const { config, module } = options;
  const name = options.name ?? config.SERVICE_NAME;

  @Module({
    imports: [
      AppConfigModule.forRoot({ ...config, SERVICE_NAME: name }),
      LoggingModule.forService(name, config.LOG_LEVEL, options.logging),
      module,
    ],
  })
  class ServiceRootModule {}

  const app = await NestFactory.create<NestExpressApplication>(ServiceRootModule, {
    bufferLogs: true,
    // Until nestjs-pino is up (and if creation fails) Nest logs through this, in the same JSON format.
    logger: new BootLogger(createLogger(name, { level: config.LOG_LEVEL, destination: options.logging?.destination })),
    // Let a failure (database unreachable, ...) reach the caller, e.g. exitOnConfigError, instead of abort().
    abortOnError: false,
    bodyParser: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.disable('x-powered-by');
  guardInput(app, config.HTTP_BODY_LIMIT); // URL and JSON body checks, then the JSON parser
  app.useBodyParser('urlencoded', { limit: config.HTTP_BODY_LIMIT, extended: true });
  app.enableShutdownHooks();
  boundShutdown(config.SHUTDOWN_TIMEOUT_MS, (signal) => logger.log({ msg: 'shutting down', signal }, 'Bootstrap'));

  await app.listen(options.port ?? config.PORT, config.HOST);
  logger.log({ msg: 'listening', url: await app.getUrl() }, 'Bootstrap');
  return app;
}

let shutdownBound = false;

/** Nest closes the app on a signal; if a hook hangs, leave anyway once the timeout has passed. */
function boundShutdown(timeoutMs: number, onSignal: (signal: string) => void): void {
  if (shutdownBound) return;
  shutdownBound = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      onSignal(signal);
      setTimeout(() => {
        process.stderr.write(
          `${JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: `shutdown took longer than ${timeoutMs}ms; exiting` })}\n`,
        );
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
