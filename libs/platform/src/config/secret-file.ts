import { readFileSync } from 'node:fs';
import { ConfigError } from './config.error.js';

type Env = Record<string, string | undefined>;

/**
 * A secret comes from `NAME` or from the file named by `NAME_FILE` (Docker and Kubernetes secrets),
 * never both. The file's trailing newline is dropped: editors and `echo` add one.
 */
export function secretFromEnvOrFile(name: string, env: Env = process.env): string | undefined {
  const direct = blankToUndefined(env[name]);
  const file = blankToUndefined(env[`${name}_FILE`]);
  if (direct !== undefined && file !== undefined) {
    throw new ConfigError([{ variable: name, message: `set ${name} or ${name}_FILE, not both` }]);
  }
  if (file === undefined) return direct;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError([{ variable: `${name}_FILE`, message: `cannot read ${file} (${code})` }]);
  }
}

export function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
