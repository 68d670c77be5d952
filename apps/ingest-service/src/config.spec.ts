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

  it('holds for approval a lote suspending more than 5 % or 100 students, and onboards new students without one, by default', () => {
    expect(loadConfig(ingestConfigSchema, {})).toMatchObject({
      UMBRAL_BAJAS_PORCENTAJE: 5,
      UMBRAL_BAJAS_CANTIDAD: 100,
      APROBACION_NUEVOS: false,
    });
    expect(loadConfig(ingestConfigSchema, { UMBRAL_BAJAS_PORCENTAJE: '2.5', APROBACION_NUEVOS: 'true' })).toMatchObject(
      { UMBRAL_BAJAS_PORCENTAJE: 2.5, APROBACION_NUEVOS: true },
    );
    expect(
      issues({ UMBRAL_BAJAS_PORCENTAJE: '101', UMBRAL_BAJAS_CANTIDAD: '-1', APROBACION_NUEVOS: 'quizás' })
        .map((i) => i.variable)
        .sort(),
    ).toEqual(['APROBACION_NUEVOS', 'UMBRAL_BAJAS_CANTIDAD', 'UMBRAL_BAJAS_PORCENTAJE']);
  });

  it('has no OneRoster source unless ONEROSTER_URL is set, and then asks for the credentials of its mode', () => {
    expect(loadConfig(ingestConfigSchema, {}).ONEROSTER_URL).toBeUndefined();
    const url = { ONEROSTER_URL: 'https://sis.example.edu' };
    expect(issues(url).map((i) => i.variable)).toEqual(['ONEROSTER_CONSUMER_KEY', 'ONEROSTER_CONSUMER_SECRET']);
    expect(
      issues({ ...url, ONEROSTER_AUTH: 'oauth2', ONEROSTER_CLIENT_ID: 'lucy' })
        .map((i) => i.variable)
        .sort(),
    ).toEqual(['ONEROSTER_CLIENT_SECRET', 'ONEROSTER_TOKEN_URL']);
    expect(issues({ ...url, ONEROSTER_AUTH: 'saml' }).map((i) => i.variable)).toContain('ONEROSTER_AUTH');
    expect(issues({ ...url, ONEROSTER_CONSUMER_KEY: 'k', ONEROSTER_CONSUMER_SECRET: 's' })).toEqual([]);
  });
});
