import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config.error.js';
import { secretFromEnvOrFile } from './secret-file.js';

type Env = Record<string, string | undefined>;

/**
 * Validates the environment against `schema` and returns the typed configuration.
 *
 * - An empty variable counts as unset, so its default applies.
 * - Any variable of the schema may instead be given as a file: `NAME_FILE=/run/secrets/name`.
 * - On failure throws one ConfigError naming every bad variable, never echoing a value.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(schema.shape)) {
    try {
      input[key] = secretFromEnvOrFile(key, env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      issues.push(...err.issues);
    }
  }

  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? '(environment)');
      if (issues.some((i) => i.variable === variable || i.variable === `${variable}_FILE`)) continue;
      const missing = input[variable] === undefined && issue.code === 'invalid_type';
      issues.push({ variable, message: missing ? 'is required' : issue.message });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return result.data as z.infer<S>;
}
