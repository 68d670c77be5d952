// The sandbox process: every stand-in on its fixed port (see README.md), JSON-line logs, and a clean
// shutdown on SIGTERM/SIGINT so ports are free for the next start.
import { jsonLogger } from './log.js';
import { startSandbox } from './sandbox.js';

const log = jsonLogger('sandbox');

async function main(): Promise<void> {
  const sandbox = await startSandbox({ log });
  log('info', 'sandbox started', {
    ...sandbox.urls,
    smtp: `${sandbox.smtp.host}:${sandbox.smtp.port}`,
    caFile: sandbox.caFile,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'sandbox stopping', { signal });
    // A second signal, or a close that hangs, must not keep the process alive.
    setTimeout(() => process.exit(1), 5000).unref();
    sandbox.close().then(
      () => {
        log('info', 'sandbox stopped');
        process.exit(0);
      },
      (e: Error) => {
        log('error', 'sandbox stop failed', { error: e.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: Error) => {
  log('error', 'sandbox failed to start', { error: e.message, code: (e as NodeJS.ErrnoException).code });
  process.exit(1);
});
