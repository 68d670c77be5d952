import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, SecretBox } from '@lucy/platform';
import { credentialKeys, DEV_CREDENTIALS_KEY, domainOf, mailConfigSchema } from './config.js';

function issues(env: Record<string, string>) {
  try {
    loadConfig(mailConfigSchema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('mail-service configuration', () => {
  it('runs against the local sandbox with no environment at all', () => {
    expect(loadConfig(mailConfigSchema, {})).toMatchObject({
      SERVICE_NAME: 'mail-service',
      PORT: 3004,
      DB_SCHEMA: 'mail',
      RABBITMQ_PREFETCH: 5,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: 2525,
      SMTP_SECURE: false,
      SMTP_POOL_SIZE: 5,
      SMTP_SOCKET_TIMEOUT_MS: 30_000,
    });
  });

  it('opens what teams-service seals with the shared dev key when CREDENTIALS_KEY is unset', () => {
    const sealed = new SecretBox(credentialKeys({ CREDENTIALS_KEY: DEV_CREDENTIALS_KEY })).seal('x', 'a');
    expect(new SecretBox(credentialKeys({ CREDENTIALS_KEY: undefined })).open(sealed, 'a')).toBe('x');
  });

  it('refuses the dev key with a real SMTP relay', () => {
    expect(issues({ SMTP_HOST: 'smtp.unrc.edu.ar' })).toEqual([
      { variable: 'CREDENTIALS_KEY', message: expect.stringContaining('required') },
    ]);
    expect(loadConfig(mailConfigSchema, { SMTP_HOST: 'smtp.unrc.edu.ar', CREDENTIALS_KEY: KEY }).SMTP_HOST).toBe(
      'smtp.unrc.edu.ar',
    );
  });

  it('names a malformed key without echoing it', () => {
    const [issue] = issues({ CREDENTIALS_KEY: 'short-secret' });
    expect(issue).toEqual({ variable: 'CREDENTIALS_KEY', message: expect.stringContaining('base64 of 32 bytes') });
    expect(JSON.stringify(issue)).not.toContain('short-secret');
  });

  it('reads SMTP_PASSWORD from a file, and wants SMTP_USER with it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lucy-mail-')), 'smtp-password');
    writeFileSync(file, 'relay-secret\n');
    expect(loadConfig(mailConfigSchema, { SMTP_USER: 'lucy', SMTP_PASSWORD_FILE: file }).SMTP_PASSWORD).toBe(
      'relay-secret',
    );
    expect(issues({ SMTP_PASSWORD_FILE: file })).toEqual([
      { variable: 'SMTP_USER', message: 'set SMTP_USER and SMTP_PASSWORD together, or neither' },
    ]);
  });

  it('keeps the prefetch below the database pool (each message needs two connections at once)', () => {
    expect(issues({ RABBITMQ_PREFETCH: '10', DB_POOL_SIZE: '10' })).toEqual([
      { variable: 'RABBITMQ_PREFETCH', message: expect.stringContaining('below DB_POOL_SIZE') },
    ]);
  });

  it('wants MAIL_FROM to be an address, and takes our Message-ID domain from it', () => {
    expect(issues({ MAIL_FROM: 'Facultad' })).toEqual([
      { variable: 'MAIL_FROM', message: expect.stringContaining('must be an address') },
    ]);
    expect(domainOf('Facultad de Ciencias Exactas <no-responder@Exa.UNRC.edu.ar>')).toBe('exa.unrc.edu.ar');
    expect(domainOf('no-responder@unrc.edu.ar')).toBe('unrc.edu.ar');
  });
});
