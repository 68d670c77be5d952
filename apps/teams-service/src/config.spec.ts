import { loadConfig } from '@lucy/platform';
import { teamsConfigSchema } from './config.js';

describe('teams-service configuration', () => {
  it('runs against the sandbox with no environment at all', () => {
    expect(loadConfig(teamsConfigSchema, {})).toMatchObject({
      SERVICE_NAME: 'teams-service',
      PORT: 3002,
      DB_SCHEMA: 'teams',
      GRAPH_AUTHORITY_HOST: 'https://127.0.0.1:4010',
      GRAPH_BASE_URL: 'https://127.0.0.1:4011/v1.0',
      UPN_PATTERN: 'a{dni}@{domain}',
      UPN_DOMAIN: 'estudiantes.unrc.edu.ar',
      USAGE_LOCATION: 'AR',
      LICENSE_SKU_ID: '314c4481-f395-4525-be8b-2ec4bb1e9d91',
      GRAPH_TIMEOUT_MS: 15000,
    });
  });

  it('retries a transient failure of the account for at least 30 minutes, with growing delays up to 15', () => {
    const delays = loadConfig(teamsConfigSchema, {}).RETRY_DELAYS_MS;
    expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30 * 60_000);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(Math.max(...delays)).toBe(15 * 60_000);
    expect(loadConfig(teamsConfigSchema, { RETRY_DELAYS_MS: '100,200' }).RETRY_DELAYS_MS).toEqual([100, 200]);
  });

  it('names each bad variable', () => {
    let message = '';
    try {
      loadConfig(teamsConfigSchema, {
        UPN_PATTERN: '{nombre}@{domain}',
        USAGE_LOCATION: 'ar',
        LICENSE_SKU_ID: 'M365EDU_A1',
        GRAPH_CA_FILE: '/nope/ca.pem',
        CREDENTIALS_KEY: 'short',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('UPN_PATTERN: must contain {dni}');
    expect(message).toContain('USAGE_LOCATION: must be a two-letter ISO country code');
    expect(message).toContain('LICENSE_SKU_ID: must be a GUID');
    expect(message).toContain('GRAPH_CA_FILE: names a file that does not exist');
    expect(message).toContain('CREDENTIALS_KEY: must be base64 of 32 bytes');
    expect(message).not.toContain('short');
  });

  it('refuses to seal with the dev key for a real Graph', () => {
    expect(() => loadConfig(teamsConfigSchema, { GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.com' })).toThrow(
      /CREDENTIALS_KEY: is required when Graph is not the local sandbox/,
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(
      loadConfig(teamsConfigSchema, { GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.com', CREDENTIALS_KEY: key })
        .CREDENTIALS_KEY,
    ).toBe(key);
  });
});
