import { problemaZonaHoraria } from './zona-horaria.js';

describe('problemaZonaHoraria', () => {
  it('accepts IANA zones Moodle takes, and 99 (the server’s)', () => {
    for (const z of ['America/Argentina/Cordoba', 'America/Port-au-Prince', 'UTC', 'Europe/Madrid', '99'])
      expect(problemaZonaHoraria(z)).toBeUndefined();
  });

  it('refuses a name that is no time zone', () => {
    expect(problemaZonaHoraria('America/Rio_Cuarto')).toContain('is not an IANA time zone');
  });

  it('refuses an IANA zone Moodle’s PARAM_TIMEZONE refuses, which would fail every new user', () => {
    expect(problemaZonaHoraria('Etc/GMT+3')).toContain('Moodle refuses');
  });

  it('refuses a zone spelt in another case, which Moodle would silently ignore', () => {
    expect(problemaZonaHoraria('america/argentina/cordoba')).toContain('not spelt as in the IANA database');
  });
});
