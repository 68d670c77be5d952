import { loadConfig } from '@lucy/platform';
import { teamsConfigSchema } from './config.js';
import { checks, runtimeConfigOptions } from './runtime-keys.js';

describe('teams-service runtime keys', () => {
  it('start from UPN_PATTERN, UPN_DOMAIN and LICENSE_SKU_ID', () => {
    const config = loadConfig(teamsConfigSchema, {
      UPN_PATTERN: '{inicial}{apellido}{dni}@{domain}',
      UPN_DOMAIN: 'alumnos.example.edu',
      LICENSE_SKU_ID: '94763226-9b3c-4e75-a931-5c89701abe66',
    });
    expect(runtimeConfigOptions.fromEnv(config)).toEqual({
      upn: { patron: '{inicial}{apellido}{dni}@{domain}', dominio: 'alumnos.example.edu' },
      licenciaSku: '94763226-9b3c-4e75-a931-5c89701abe66',
    });
  });

  it('refuse a pattern or a domain the environment would refuse, naming which', () => {
    expect(checks.upn!({ patron: 'a{dni}@{domain}', dominio: 'estudiantes.unrc.edu.ar' })).toBeUndefined();
    expect(checks.upn!({ patron: '{nombre}@{domain}', dominio: 'estudiantes.unrc.edu.ar' })).toMatch(
      /^patron: must contain \{dni\}/,
    );
    expect(checks.upn!({ patron: 'a{dni}@{domain}', dominio: 'no es un dominio' })).toBe(
      'dominio: must be a domain name',
    );
  });
});
