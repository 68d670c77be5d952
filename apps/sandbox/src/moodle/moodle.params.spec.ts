import { cleanParam } from './moodle.params.js';

const env = { auths: ['manual'], langs: ['en'], themes: ['boost'] };
const timezone = (v: string) => cleanParam(v, 'timezone', env);

describe('cleanParam PARAM_TIMEZONE (lib/classes/param.php)', () => {
  it('keeps IANA names, 99 and offsets Moodle accepts', () => {
    for (const v of [
      'America/Argentina/Cordoba',
      'America/Port-au-Prince',
      'America/North_Dakota/New_Salem',
      'UTC',
      '99',
      '-3',
      '+5.5',
      '12.5',
      '13.0',
      '0',
    ])
      expect(timezone(v)).toBe(v);
  });

  it('cleans to empty what Moodle refuses', () => {
    for (const v of [
      'Etc/GMT+3',
      'Etc/GMT-14',
      'Z',
      '/America/Cordoba',
      'America//Cordoba',
      '14',
      '13.5',
      '-20',
      '3.25',
      'America/Córdoba',
      '',
    ])
      expect(timezone(v)).toBe('');
  });
});
