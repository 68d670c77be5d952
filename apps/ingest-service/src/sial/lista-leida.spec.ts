import { listaLeida } from './lista-leida.js';

describe('listaLeida', () => {
  it('holds every readable DNI of the list, normalized, and counts a list with records as complete', () => {
    const l = listaLeida('ingresantes', [
      { dni: '45.571.030', periodo: '2026' },
      { dni: ' 46399413 ', email_personal: 'no-es-un-email' },
      { dni: '12-345' },
    ]);
    expect(l).toEqual({
      lista: 'ingresantes',
      estado: 'ingresante',
      dnis: new Set(['45571030', '46399413']),
      completa: true,
    });
  });

  it('does not count an empty list as complete', () => {
    expect(listaLeida('aspirantes', []).completa).toBe(false);
  });
});
