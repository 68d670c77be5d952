import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@lucy/platform';
import { moodleConfigSchema } from './config.js';

const errorOf = (env: Record<string, string>) => {
  try {
    loadConfig(moodleConfigSchema, env);
  } catch (e) {
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('moodle-service configuration', () => {
  it('defaults to the sandbox Moodle, oauth2 users and the student role', () => {
    expect(loadConfig(moodleConfigSchema, {})).toMatchObject({
      SERVICE_NAME: 'moodle-service',
      MOODLE_URL: 'http://127.0.0.1:4020',
      MOODLE_TOKEN: 'sandbox-moodle-token',
      MOODLE_AUTH: 'oauth2',
      MOODLE_CURSOS_ANTERIORES: 'conservar',
      MOODLE_TIMEZONE: '99',
      MOODLE_STUDENT_ROLE_ID: 5,
      MOODLE_TIMEOUT_MS: 15000,
      MOODLE_CURSOS: {
        aspirante: { '*': ['ING-2027-INTRO'] },
        preinscripto: { '*': ['ING-2027-INTRO', 'ING-2027-MATE'] },
        ingresante: { '*': ['ING-2027-INTRO', 'ING-2027-MATE', 'ING-2027-ECO'] },
      },
    });
  });

  it('reads the course map from MOODLE_CURSOS or MOODLE_CURSOS_FILE', () => {
    const json = '{"ingresante":{"2027":["A","B"]},"aspirante":{"*":["C"]}}';
    expect(loadConfig(moodleConfigSchema, { MOODLE_CURSOS: json }).MOODLE_CURSOS).toEqual({
      ingresante: { '2027': ['A', 'B'] },
      aspirante: { '*': ['C'] },
    });
    const file = join(mkdtempSync(join(tmpdir(), 'moodle-cursos-')), 'cursos.json');
    writeFileSync(file, `${json}\n`);
    expect(loadConfig(moodleConfigSchema, { MOODLE_CURSOS_FILE: file }).MOODLE_CURSOS).toEqual({
      ingresante: { '2027': ['A', 'B'] },
      aspirante: { '*': ['C'] },
    });
  });

  it('names the variable when the course map is not JSON or not shaped estado → periodo → shortnames', () => {
    expect(errorOf({ MOODLE_CURSOS: '{ingresante' }).issues).toEqual([
      { variable: 'MOODLE_CURSOS', message: expect.stringContaining('must be JSON') },
    ]);
    expect(errorOf({ MOODLE_CURSOS: '{"graduado":{"*":["A"]}}' }).issues[0]).toMatchObject({
      variable: 'MOODLE_CURSOS',
      message: expect.stringContaining('graduado'),
    });
  });

  it('refuses an unknown auth method, a URL that is not http(s) and an unknown rule for the previous courses', () => {
    expect(
      errorOf({ MOODLE_AUTH: 'ldap', MOODLE_URL: 'ftp://moodle', MOODLE_CURSOS_ANTERIORES: 'borrar' })
        .issues.map((i) => i.variable)
        .sort(),
    ).toEqual(['MOODLE_AUTH', 'MOODLE_CURSOS_ANTERIORES', 'MOODLE_URL']);
    expect(loadConfig(moodleConfigSchema, { MOODLE_CURSOS_ANTERIORES: 'desenrolar' }).MOODLE_CURSOS_ANTERIORES).toBe(
      'desenrolar',
    );
  });

  it('takes an IANA time zone for new users, and refuses one Moodle would not', () => {
    expect(loadConfig(moodleConfigSchema, { MOODLE_TIMEZONE: 'America/Argentina/Cordoba' }).MOODLE_TIMEZONE).toBe(
      'America/Argentina/Cordoba',
    );
    expect(errorOf({ MOODLE_TIMEZONE: 'Etc/GMT+3' }).issues).toEqual([
      { variable: 'MOODLE_TIMEZONE', message: expect.stringContaining('Moodle refuses') },
    ]);
    expect(errorOf({ MOODLE_TIMEZONE: 'Cordoba' }).issues[0]).toMatchObject({
      variable: 'MOODLE_TIMEZONE',
      message: expect.stringContaining('not an IANA time zone'),
    });
  });
});
