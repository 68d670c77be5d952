import {
  ALL_MESSAGES,
  AlumnoCreado,
  Configuracion,
  LimitesCambiados,
  CuentaTeamsCreada,
  EliminarCuentaTeams,
  defineEvent,
  findMessage,
} from './index.js';
import { z } from 'zod';

const alumno = {
  dni: '40123456',
  nombre: 'María José',
  apellido: "D'Angelo",
  emailPersonal: 'mj@example.com',
  emailInstitucional: null,
  carrera: 'Contador Público',
  estado: 'ingresante',
  periodo: '2027',
};

describe('contracts', () => {
  it('derives the routing key and id from name and version', () => {
    expect(AlumnoCreado.routingKey).toBe('alumno.creado.v1');
    expect(AlumnoCreado.id).toBe('alumno.creado@v1');
    expect(EliminarCuentaTeams.kind).toBe('command');
    expect(EliminarCuentaTeams.replies.map((r) => r.name)).toEqual([
      'cuenta-teams.eliminada',
      'cuenta-teams.eliminacion-fallida',
    ]);
  });

  it('declares every message of the flow once, each findable by type and version', () => {
    const names = ALL_MESSAGES.map((m) => m.name);
    for (const n of [
      'alumno.creado',
      'alumno.actualizado',
      'cuenta-teams.creada',
      'cuenta-teams.fallida',
      'moodle.enrolado',
      'moodle.fallido',
      'email.enviado',
      'email.fallido',
    ])
      expect(names).toContain(n);
    expect(new Set(names.map((n, i) => `${n}${ALL_MESSAGES[i].version}`)).size).toBe(ALL_MESSAGES.length);
    expect(findMessage('alumno.creado', 1)).toBe(AlumnoCreado);
    expect(findMessage('alumno.creado', 2)).toBeUndefined();
  });

  it('rejects a payload that breaks the schema, naming the field', () => {
    const r = AlumnoCreado.schema.safeParse({ alumnoId: 'nope', loteId: null, alumno: { ...alumno, dni: '12.345' } });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['alumnoId', 'alumno.dni']));
  });

  it('refuses a student whose DNI is under a million or whose email is over RFC 5321 limits', () => {
    const con = (over: object) =>
      AlumnoCreado.schema.safeParse({ alumnoId: crypto.randomUUID(), loteId: null, alumno: { ...alumno, ...over } });
    expect(con({ dni: '0000000' }).success).toBe(false);
    expect(con({ dni: '00123456' }).success).toBe(false);
    expect(con({ dni: '07123456' }).success).toBe(true);
    expect(con({ dni: '1000000' }).success).toBe(true);
    const largo = con({ emailPersonal: `${'a'.repeat(65)}@example.com` });
    expect(largo.error?.issues).toEqual([
      expect.objectContaining({ path: ['alumno', 'emailPersonal'], message: expect.stringContaining('65 caracteres') }),
    ]);
    expect(con({ emailInstitucional: `${'a'.repeat(64)}@example.com` }).success).toBe(true);
  });

  it('bounds each API’s rate by what it takes, whole numbers from 1, in the configuration and in LimitesCambiados', () => {
    const limites = (l: object) =>
      Configuracion.shape.limites.safeParse({
        graph: { rpm: 6000, writeRpm: 1100 },
        moodle: { rpm: 300 },
        smtp: { rpm: 30 },
        ...l,
      });
    expect(limites({}).success).toBe(true);
    expect(
      limites({ graph: { rpm: 48_000, writeRpm: 1_200 }, moodle: { rpm: 6_000 }, smtp: { rpm: 1_000 } }).success,
    ).toBe(true);
    for (const malo of [
      { graph: { rpm: 1e12, writeRpm: null } },
      { graph: { rpm: 6000, writeRpm: 1201 } },
      { moodle: { rpm: 6001 } },
      { smtp: { rpm: 1001 } },
      { smtp: { rpm: 0 } },
      { smtp: { rpm: 2.5 } },
    ])
      expect(limites(malo).success).toBe(false);
    expect(LimitesCambiados.schema.safeParse({ api: 'graph', rpm: 1e12 }).error?.issues[0]).toMatchObject({
      path: ['rpm'],
      message: 'graph takes at most 48000 per minute',
    });
    expect(LimitesCambiados.schema.safeParse({ api: 'graph', rpm: 6000, writeRpm: 5000 }).success).toBe(false);
    expect(LimitesCambiados.schema.safeParse({ api: 'smtp', rpm: 0.5 }).success).toBe(false);
    expect(LimitesCambiados.schema.safeParse({ api: 'otra', rpm: 100_000 }).success).toBe(true); // an API with no known bound
  });

  it('accepts only a sealed credential, never a clear password', () => {
    const base = {
      alumnoId: crypto.randomUUID(),
      upn: 'a40123456@lucy.example',
      graphUserId: 'g',
      existente: false,
      credencialVersion: 1,
      alumno,
    };
    expect(CuentaTeamsCreada.schema.safeParse({ ...base, credencial: 'Secreta123!' }).success).toBe(false);
    expect(
      CuentaTeamsCreada.schema.safeParse({
        ...base,
        credencial: { alg: 'A256GCM', kid: 'k1', iv: 'aa', tag: 'bb', ct: 'cc' },
      }).success,
    ).toBe(true);
  });

  it('refuses a badly named or versioned declaration', () => {
    expect(() => defineEvent({ name: 'AlumnoCreado', version: 1, schema: z.object({}) })).toThrow(/dotted/);
    expect(() => defineEvent({ name: 'alumno.x', version: 0, schema: z.object({}) })).toThrow(/version/);
  });
});
