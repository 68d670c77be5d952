// The local broker's rabbitmqctl, for suites that make users and vhosts of their own.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function rabbitmqctl(...args: string[]): Promise<string> {
  try {
    return (await run('rabbitmqctl', args)).stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('this suite needs rabbitmqctl (the local broker), which is not on this machine', { cause: err });
    throw err;
  }
}

/**
 * Loads RabbitMQ definitions (users, vhosts, permissions) into the local broker. Through a file the
 * broker's own user can read: Debian's rabbitmqctl runs as that user, from its home directory, and 3.10
 * reads no definitions from its standard input.
 */
export async function importDefinitions(definitions: unknown): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lucy-definitions-'));
  try {
    chmodSync(dir, 0o755);
    const file = join(dir, 'definitions.json');
    writeFileSync(file, JSON.stringify(definitions), { mode: 0o644 });
    await rabbitmqctl('import_definitions', file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
