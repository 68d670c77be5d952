import { emailValido, estadoPrevalente, leerEstado, normalizarEmail, normalizarTexto } from './normalizar.js';

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

  it.each(['sofia.nunez@gmail', 'maria..lopez@@hotmail.com', 'sin-arroba.com', 'a b@c.com'])('finds %p malformed', (e) => {
    expect(emailValido(e)).toBe(false);
  });

  it('accepts ordinary addresses', () => {
    expect(emailValido('luz.perez64@live.com.ar')).toBe(true);
  });

  it.each([
    ['ingresante', 'ingresante'],
    [' Ingresantes ', 'ingresante'],
    ['PREINSCRIPTO', 'preinscripto'],
    ['aspirantes', 'aspirante'],
    ['egresado', null],
    ['', null],
  ])('reads estado %p as %p', (entrada, estado) => {
    expect(leerEstado(entrada)).toBe(estado);
  });

  it('keeps ingresante over an older listing, and finds aspirante vs preinscripto undecidable', () => {
    expect(estadoPrevalente(['aspirante', 'ingresante'])).toBe('ingresante');
    expect(estadoPrevalente(['preinscripto', 'preinscripto'])).toBe('preinscripto');
    expect(estadoPrevalente(['aspirante', 'preinscripto'])).toBeNull();
  });
});
