import { z } from 'zod';
import { parseSecretKeys } from '../secrets/sealed-secret.js';

// Field builders for environment schemas. Every value arrives as a string; these coerce it and say,
// in the error, what a good value looks like.

export const env = {
  string: () => z.string({ error: 'is required' }).min(1, { error: 'must not be empty' }),

  int: (min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce
      .number({ error: 'must be an integer' })
      .int({ error: 'must be an integer' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` }),

  port: () =>
    z.coerce
      .number({ error: 'must be a port number (0-65535)' })
      .int({ error: 'must be a port number (0-65535)' })
      .min(0, { error: 'must be a port number (0-65535)' })
      .max(65535, { error: 'must be a port number (0-65535)' }),

  bool: () => z.stringbool({ error: 'must be true or false (also 1/0, yes/no, on/off)' }),

  url: (protocols: string[]) => {
    const list = protocols.map((p) => `${p}://`);
    const message = `must be ${list.length > 1 ? `an ${list.slice(0, -1).join(', ')} or ${list.at(-1)}` : `a ${list[0]}`} URL`;
    return z.string({ error: message }).refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      { error: message },
    );
  },

  /** A PostgreSQL identifier we are willing to interpolate into DDL. */
  identifier: () =>
    z
      .string({ error: 'is required' })
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lowercase SQL identifier ([a-z_][a-z0-9_]*, at most 63)' }),

  /** `1000,5000,30000` → [1000, 5000, 30000] */
  intList: () =>
    z.string({ error: 'is required' }).transform((value, ctx) => {
      const parts = value.split(',').map((p) => p.trim());
      const numbers = parts.map(Number);
      if (parts.some((p) => p === '') || numbers.some((n) => !Number.isInteger(n) || n < 0)) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of non-negative integers' });
        return z.NEVER;
      }
      return numbers;
    }),

  logLevel: () =>
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  /** SecretBox key(s): base64 of 32 bytes, or kid:base64, comma-separated while rotating. */
  secretKeys: () =>
    env.string().refine(
      (spec) => {
        try {
          parseSecretKeys(spec);
          return true;
        } catch {
          return false;
        }
      },
      { error: 'must be base64 of 32 bytes, or kid:base64, several separated by commas (openssl rand -base64 32)' },
    ),
};
