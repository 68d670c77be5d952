import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { correlationMiddleware, requestCorrelationId } from './correlation.middleware.js';
import { pinoOptions } from './pino-options.js';

/** Probes and scrapes arrive every few seconds; logging them would drown everything else. */
export function isQuietPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

export interface LoggingOptions {
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/**
 * nestjs-pino with Lucy's format. Every HTTP request runs in a correlation context (from
 * `x-correlation-id` or a new uuid, echoed back), so every line it causes carries `correlationId`.
 * bootstrapService imports it; a test module may import it directly.
 */
@Module({})
export class LoggingModule implements NestModule {
  static forService(service: string, level = 'info', options: LoggingOptions = {}): DynamicModule {
    const pinoHttp = {
      ...pinoOptions(service, level),
      genReqId: (req: IncomingMessage, res: ServerResponse) => requestCorrelationId(req, res),
      autoLogging: { ignore: (req: IncomingMessage) => isQuietPath(req.url) },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500
          ? ('error' as const)
          : res.statusCode >= 400
            ? ('warn' as const)
            : ('info' as const),
      // Keep request lines short: method, url, the response status. Headers stay out (they carry tokens).
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    };
    return {
      module: LoggingModule,
      global: true,
      imports: [LoggerModule.forRoot({ pinoHttp: options.destination ? [pinoHttp, options.destination] : pinoHttp })],
      exports: [LoggerModule],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(correlationMiddleware).forRoutes('{*splat}');
  }
}
