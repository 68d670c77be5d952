import { upnDesde, upnSugerido, validarDominio, validarPatronUpn, normalizarNombre, aliasDe } from './upn.js';

const alumno = { dni: '40123456', nombre: 'María José', apellido: 'Núñez-Paz' };

describe('UPN from a pattern', () => {
  it('gives a{dni}@{domain} by default shape, in lower case', () => {
    expect(upnDesde('a{dni}@{domain}', alumno, 'Estudiantes.UNRC.edu.ar')).toBe('a40123456@estudiantes.unrc.edu.ar');
  });

  it('puts names without accents, spaces or punctuation', () => {
    expect(upnDesde('{nombre}.{apellido}.{dni}@{domain}', alumno, 'x.edu.ar')).toBe(
      'mariajose.nunezpaz.40123456@x.edu.ar',
    );
    expect(upnDesde('{inicial}{apellido}{dni}@x.edu.ar', alumno, 'ignored.edu')).toBe('mnunezpaz40123456@x.edu.ar');
    expect(normalizarNombre("D'Ángelo Ñandú")).toBe('dangelonandu');
  });

  it('maps the same student to the same UPN every time (the key an account is found by)', () => {
    const a = upnDesde('a{dni}@{domain}', alumno, 'x.edu.ar');
    const b = upnDesde('a{dni}@{domain}', { ...alumno, nombre: 'Otro' }, 'x.edu.ar');
    expect(a).toBe(b);
  });

  it('refuses patterns without {dni}, with unknown placeholders or without one @', () => {
    expect(validarPatronUpn('a{dni}@{domain}')).toBeUndefined();
    expect(validarPatronUpn('{nombre}@{domain}')).toMatch(/\{dni\}/);
    expect(validarPatronUpn('a{legajo}{dni}@{domain}')).toMatch(/unknown placeholder \{legajo\}/);
    expect(validarPatronUpn('a{dni}')).toMatch(/@/);
    expect(validarPatronUpn('a{dni}@x@{domain}')).toMatch(/@/);
    expect(validarPatronUpn('{domain}{dni}@x.edu')).toMatch(/after the @/);
  });

  it('refuses a pattern whose fixed text already makes every UPN invalid', () => {
    expect(validarPatronUpn('{inicial}{apellido}.{dni}@{domain}')).toBeUndefined();
    expect(validarPatronUpn('a{dni}@alumnos.{domain}')).toBeUndefined();
    expect(validarPatronUpn('alumno {dni}@{domain}')).toMatch(/invalid alias/);
    expect(validarPatronUpn('a..{dni}@{domain}')).toMatch(/invalid alias/);
    expect(validarPatronUpn('.{dni}@{domain}')).toMatch(/invalid alias/);
    expect(validarPatronUpn('a{dni}@estudiantes')).toMatch(/after the @ must be a domain name/);
  });

  it('takes only domain names as the domain', () => {
    expect(validarDominio('estudiantes.unrc.edu.ar')).toBeUndefined();
    expect(validarDominio('estudiantes')).toBe('must be a domain name');
    expect(validarDominio('mal dominio.edu')).toBe('must be a domain name');
  });

  it('refuses an alias Entra would refuse (dots at the ends, too long)', () => {
    expect(() => upnDesde('.{dni}@{domain}', alumno, 'x.edu.ar')).toThrow(/invalid alias/);
    expect(() => upnDesde(`${'x'.repeat(60)}{dni}@{domain}`, alumno, 'x.edu.ar')).toThrow(/invalid alias/);
  });

  it('takes the alias before the @ as mailNickname', () => {
    expect(aliasDe('a40123456@x.edu.ar')).toBe('a40123456');
  });
});

describe('the UPN suggested when a student’s data changes', () => {
  it('is what the pattern gives now, when the account has another UPN', () => {
    const casada = { ...alumno, apellido: 'Paz' };
    const patron = '{nombre}.{apellido}.{dni}@{domain}';
    expect(upnSugerido('mariajose.nunezpaz.40123456@x.edu.ar', patron, casada, 'x.edu.ar')).toBe(
      'mariajose.paz.40123456@x.edu.ar',
    );
    expect(upnSugerido('mariajose.nunezpaz.40123456@x.edu.ar', patron, alumno, 'x.edu.ar')).toBeNull();
  });

  it('is nothing when the account already has that UPN, whatever its case', () => {
    expect(upnSugerido('A40123456@Estudiantes.unrc.edu.ar', 'a{dni}@{domain}', alumno, 'estudiantes.unrc.edu.ar')).toBe(
      null,
    );
  });

  it('is nothing when the pattern gives no valid UPN for the new data', () => {
    expect(upnSugerido('x.40123456@x.edu.ar', '{nombre}.{dni}@{domain}', { ...alumno, nombre: '¡!' }, 'x.edu.ar')).toBe(
      null,
    );
  });
});
