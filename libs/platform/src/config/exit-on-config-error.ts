import { ConfigError } from './config.error.js';

/**
 * Runs a service's startup. If it fails, prints one JSON log line to stderr and exits 1: a bad
 * environment names every variable at fault; anything else (database unreachable, port taken) is
 * logged with its error. Used by each apps/<app>/src/main.ts.
 */
export async function exitOnConfigError<T>(fn: () => T | Promise<T>, service = process.env.SERVICE_NAME): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const line =
      err instanceof ConfigError
        ? { level: 'fatal', time: new Date().toISOString(), service, msg: err.message, errors: err.issues }
        : {
            level: 'fatal',
            time: new Date().toISOString(),
            service,
            msg: `startup failed: ${(err as Error)?.message ?? String(err)}`,
            err: { type: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack },
          };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.exit(1);
  }
}
