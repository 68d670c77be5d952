import { ConfigError, loadConfig } from '@lucy/platform';
import { ingestConfigSchema, sialPassword } from './config.js';

const issues = (env: Record<string, string>) => {
  try {
    loadConfig(ingestConfigSchema, env);
  } catch (err) {
    return (err as ConfigError).issues;
  }
  return [];
};

describe('ingest-service configuration', () => {
  it('defaults to the sandbox SIAL and a window of 20 with a 5 minute fallback', () => {
    const c = loadConfig(ingestConfigSchema, {});
    expect(c).toMatchObject({
      SERVICE_NAME: 'ingest-service',
      PORT: 3001,
      DB_SCHEMA: 'ingest',
      SIAL_URL: 'http://127.0.0.1:4030',
      SIAL_USER: 'lucy',
      BATCH_SIZE: 20,
      BATCH_RELEASE_TIMEOUT_MS: 300_000,
    });
    expect(sialPassword(c)).toBe('sandbox-sial-password');
  });

  it('refuses a remote SIAL without a password, naming the variable', () => {
    expect(issues({ SIAL_URL: 'https://sial.unrc.edu.ar' })).toEqual([
      expect.objectContaining({ variable: 'SIAL_PASSWORD' }),
    ]);
    expect(
      sialPassword(loadConfig(ingestConfigSchema, { SIAL_URL: 'https://sial.unrc.edu.ar', SIAL_PASSWORD: 's3cret' })),
    ).toBe('s3cret');
  });

  it('names each malformed variable', () => {
    expect(
      issues({ SIAL_URL: 'ftp://x', BATCH_SIZE: '0', SIAL_TIMEOUT_MS: 'pronto' })
        .map((i) => i.variable)
        .sort(),
    ).toEqual(['BATCH_SIZE', 'SIAL_TIMEOUT_MS', 'SIAL_URL']);
    expect(issues({ SIAL_URL: 'no es una url' }).map((i) => i.variable)).toEqual(['SIAL_URL']);
  });
});
