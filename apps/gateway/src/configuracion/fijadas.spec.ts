import { diferencia, fijadasEnCadena, fijadasTras, ordenarClaves, sinEfecto } from './fijadas.js';

describe('the keys an operator has set (fijadas)', () => {
  it('come in the configuration’s own order, once each, any unknown key after them', () => {
    expect(ordenarClaves(['zonaHoraria', 'upn', 'loteTamano', 'upn', 'viejaClave'])).toEqual([
      'loteTamano',
      'upn',
      'zonaHoraria',
      'viejaClave',
    ]);
  });

  it('grow by the keys whose value changed and by the keys named, even with the value they had', () => {
    expect(fijadasTras(['upn'], ['loteTamano'])).toEqual(['loteTamano', 'upn']);
    expect(fijadasTras(['upn'], [], ['cursos', 'upn'])).toEqual(['upn', 'cursos']);
    expect(fijadasTras([], [], [])).toEqual([]);
  });

  it('say what a version set and what it gave back', () => {
    expect(diferencia(['loteTamano', 'upn'], ['upn', 'cursos'])).toEqual({
      fijadasNuevas: ['cursos'],
      soltadas: ['loteTamano'],
    });
    expect(diferencia(['upn'], ['upn'])).toEqual({ fijadasNuevas: [], soltadas: [] });
  });

  it('make a new version when a key is set or given back with no value changed, and none when nothing moves', () => {
    expect(sinEfecto([], ['upn'], ['upn'])).toBe(true);
    expect(sinEfecto([], ['upn'], ['upn', 'cursos'])).toBe(false);
    expect(sinEfecto([], ['upn', 'cursos'], ['upn'])).toBe(false);
    expect(sinEfecto(['loteTamano'], ['loteTamano'], ['loteTamano'])).toBe(false);
  });

  it('are read from each row that stores them; a row that does not has the previous row’s plus its own cambios', () => {
    const filas = [
      { cambios: ['loteTamano'], fijadas: null }, // written before rows stored them
      { cambios: ['upn'], fijadas: null },
      { cambios: [], fijadas: ['upn', 'cursos'] }, // loteTamano given back, cursos set with its value
      { cambios: ['moodleAuth'], fijadas: null }, // written by hand afterwards: loteTamano stays given back
    ];
    expect(fijadasEnCadena(filas)).toEqual([
      ['loteTamano'],
      ['loteTamano', 'upn'],
      ['upn', 'cursos'],
      ['upn', 'cursos', 'moodleAuth'],
    ]);
    expect(fijadasEnCadena([{ cambios: ['upn'], fijadas: null }], ['zonaHoraria'])).toEqual([['upn', 'zonaHoraria']]);
    expect(fijadasEnCadena([])).toEqual([]);
  });
});
