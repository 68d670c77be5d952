import {
  emailValido,
  motivoEmail,
  estadoPrevalente,
  leerEstado,
  normalizarEmail,
  normalizarTexto,
} from './normalizar.js';

describe('normalizing fields', () => {
  it('trims names and collapses inner spaces, keeping accents, ñ, apostrophes and case', () => {
    expect(normalizarTexto('  juan  pablo ')).toBe('juan pablo');
    expect(normalizarTexto("Fernández de la Torre  D'Alessandro")).toBe("Fernández de la Torre D'Alessandro");
    expect(normalizarTexto('NÚÑEZ')).toBe('NÚÑEZ');
    expect(normalizarTexto('Iñaki\tÑañez')).toBe('Iñaki Ñañez');
  });

  it('compares a name typed with combining accents equal to the composed one', () => {
    expect(normalizarTexto('A\u0301ngel')).toBe('Ángel');
  });

  it('takes an empty or blank value as no value', () => {
    expect(normalizarTexto('   ')).toBeNull();
    expect(normalizarTexto(null)).toBeNull();
    expect(normalizarEmail('')).toBeNull();
  });

  it('lower-cases and trims emails', () => {
    expect(normalizarEmail('  Martin.GOMEZ@Gmail.com ')).toBe('martin.gomez@gmail.com');
  });

  it.each(['sofia.nunez@gmail', 'maria..lopez@@hotmail.com', 'sin-arroba.com', 'a b@c.com'])(
    'finds %p malformed',
    (e) => {
      expect(emailValido(e)).toBe(false);
    },
  );

  it('accepts ordinary addresses', () => {
    expect(emailValido('luz.perez64@live.com.ar')).toBe(true);
  });

  it('takes addresses at RFC 5321 limits: a 64-character local part, 254 in all', () => {
    expect(emailValido(`${'a'.repeat(64)}@gmail.com`)).toBe(true);
    expect(emailValido(`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.ar`)).toBe(true); // 254
  });

  it('refuses a local part over 64 characters or an address over 254, saying which', () => {
    expect(motivoEmail(`${'a'.repeat(65)}@gmail.com`)).toBe(
      'la parte antes de la @ tiene 65 caracteres (máximo 64, RFC 5321)',
    );
    expect(motivoEmail(`${'a'.repeat(300)}@gmail.com`)).toBe(
      'la parte antes de la @ tiene 300 caracteres (máximo 64, RFC 5321)',
    );
    expect(motivoEmail(`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(59)}.ar`)).toBe(
      'tiene 255 caracteres (máximo 254, RFC 5321)',
    );
  });

  it.each([
    ['ingresante', 'ingresante'],
    [' Ingresantes ', 'ingresante'],
    ['PREINSCRIPTO', 'preinscripto'],
    ['aspirantes', 'aspirante'],
    ['becado', null],
    ['Egresados', 'egresado'],
    ['', null],
  ])('reads estado %p as %p', (entrada, estado) => {
    expect(leerEstado(entrada)).toBe(estado);
  });

  it('keeps ingresante over an older listing, and finds aspirante vs preinscripto undecidable', () => {
    expect(estadoPrevalente(['aspirante', 'ingresante'])).toBe('ingresante');
    expect(estadoPrevalente(['preinscripto', 'preinscripto'])).toBe('preinscripto');
    expect(estadoPrevalente(['aspirante', 'preinscripto'])).toBeNull();
  });

  it('keeps a leaving estado over the lists a student is still in, but not baja against egresado', () => {
    expect(estadoPrevalente(['aspirante', 'baja'])).toBe('baja');
    expect(estadoPrevalente(['ingresante', 'egresado', 'ingresante'])).toBe('egresado');
    expect(estadoPrevalente(['baja', 'egresado'])).toBeNull();
  });
});
