import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { baseConfigSchema } from './base-config.schema.js';
import { ConfigError } from './config.error.js';
import { env } from './env.fields.js';
import { loadConfig } from './load-config.js';
import { secretFromEnvOrFile } from './secret-file.js';

const schema = baseConfigSchema.extend({
  SERVICE_NAME: env.string().default('teams-service'),
  PORT: env.port().default(3002),
  DB_SCHEMA: env.identifier().default('teams'),
  GRAPH_CLIENT_SECRET: env.string(),
  DRY_RUN: env.bool().default(false),
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults and coerces numbers, booleans and lists', () => {
    const config = loadConfig(schema, {
      GRAPH_CLIENT_SECRET: 's3cr3t',
      PORT: '4000',
      DRY_RUN: 'yes',
      RETRY_DELAYS_MS: '10, 20,30',
    });
    expect(config).toMatchObject({
      SERVICE_NAME: 'teams-service',
      PORT: 4000,
      DB_SCHEMA: 'teams',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lucy',
      DB_POOL_SIZE: 10,
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      RABBITMQ_PREFETCH: 20,
      RABBITMQ_QUEUE_TYPE: 'classic',
      RETRY_DELAYS_MS: [10, 20, 30],
      SHUTDOWN_TIMEOUT_MS: 10000,
      DRY_RUN: true,
    });
    expect(loadConfig(schema, { GRAPH_CLIENT_SECRET: 'x' }).RETRY_DELAYS_MS).toEqual([1000, 5000, 30000, 120000]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { GRAPH_CLIENT_SECRET: 'x', PORT: '' }).PORT).toBe(3002);
  });

  it('names every bad variable and why, in one error', () => {
    const err = configError(() =>
      loadConfig(schema, {
        RABBITMQ_URL: 'http://broker:5672',
        PORT: 'eighty',
        RABBITMQ_QUEUE_TYPE: 'stream',
        RETRY_DELAYS_MS: '1000,soon',
        DB_SCHEMA: 'Teams; DROP',
        DRY_RUN: 'maybe',
      }),
    );
    expect(err.message).toContain('RABBITMQ_URL: must be an amqp:// or amqps:// URL');
    expect(err.issues).toEqual(
      expect.arrayContaining([
        { variable: 'RABBITMQ_URL', message: 'must be an amqp:// or amqps:// URL' },
        { variable: 'PORT', message: 'must be a port number (0-65535)' },
        { variable: 'RABBITMQ_QUEUE_TYPE', message: 'must be classic or quorum' },
        { variable: 'RETRY_DELAYS_MS', message: 'must be a comma-separated list of non-negative integers' },
        { variable: 'DB_SCHEMA', message: expect.stringContaining('SQL identifier') },
        { variable: 'DRY_RUN', message: expect.stringContaining('true or false') },
        { variable: 'GRAPH_CLIENT_SECRET', message: 'is required' },
      ]),
    );
    expect(err.issues).toHaveLength(7);
  });

  it('never puts a value in the error', () => {
    const err = configError(() =>
      loadConfig(schema, { GRAPH_CLIENT_SECRET: 'x', DATABASE_URL: 'mysql://root:hunter2@db/lucy' }),
    );
    expect(err.message).toContain('DATABASE_URL: must be a');
    expect(err.message).not.toContain('hunter2');
  });

  it('rejects a URL that is not a URL', () => {
    const err = configError(() => loadConfig(schema, { GRAPH_CLIENT_SECRET: 'x', DATABASE_URL: 'localhost' }));
    expect(err.issues).toEqual([{ variable: 'DATABASE_URL', message: 'must be an postgres:// or postgresql:// URL' }]);
  });

  it('checks a schema of its own too', () => {
    const err = configError(() => loadConfig(z.object({ A: env.int(1, 5) }), { A: '9' }));
    expect(err.issues).toEqual([{ variable: 'A', message: 'must be at most 5' }]);
  });
});

describe('secrets from files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lucy-config-'));
  const file = join(dir, 'graph-secret');
  writeFileSync(file, 'from-a-file\n');

  it('reads NAME_FILE when NAME is not set, without the trailing newline', () => {
    const config = loadConfig(schema, { GRAPH_CLIENT_SECRET_FILE: file });
    expect(config.GRAPH_CLIENT_SECRET).toBe('from-a-file');
    expect(secretFromEnvOrFile('GRAPH_CLIENT_SECRET', { GRAPH_CLIENT_SECRET_FILE: file })).toBe('from-a-file');
  });

  it('prefers nothing: both NAME and NAME_FILE is an error', () => {
    const err = configError(() => loadConfig(schema, { GRAPH_CLIENT_SECRET: 'x', GRAPH_CLIENT_SECRET_FILE: file }));
    expect(err.issues).toEqual([
      { variable: 'GRAPH_CLIENT_SECRET', message: 'set GRAPH_CLIENT_SECRET or GRAPH_CLIENT_SECRET_FILE, not both' },
    ]);
  });

  it('names the _FILE variable when the file cannot be read', () => {
    const err = configError(() => loadConfig(schema, { GRAPH_CLIENT_SECRET_FILE: join(dir, 'missing') }));
    expect(err.issues).toEqual([
      { variable: 'GRAPH_CLIENT_SECRET_FILE', message: expect.stringMatching(/^cannot read .*missing \(ENOENT\)$/) },
    ]);
  });
});
