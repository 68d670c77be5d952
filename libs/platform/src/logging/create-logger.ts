import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoOptions } from './pino-options.js';

export interface CreateLoggerOptions {
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/** A plain pino logger with Lucy's format, for code outside Nest: scripts, the sandbox, the relay. */
export function createLogger(service: string, options: CreateLoggerOptions = {}): Logger {
  const opts = pinoOptions(service, options.level ?? process.env.LOG_LEVEL ?? 'info');
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
