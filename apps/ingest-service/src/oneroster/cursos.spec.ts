import { cursoDeClase, cursosDeClases } from './cursos.js';

describe('cursosDeClases', () => {
  const mapa = { 'civ-a': 'DER-CIVIL-A', CIV1: 'DER-CIVIL', PEN1: 'DER-PENAL' };

  it("maps a class by its own sourcedId first, else by its course's courseCode", () => {
    expect(cursoDeClase({ clase: 'civ-a', codigoCurso: 'CIV1' }, mapa)).toBe('DER-CIVIL-A');
    expect(cursoDeClase({ clase: 'civ-b', codigoCurso: 'CIV1' }, mapa)).toBe('DER-CIVIL');
    expect(cursoDeClase({ clase: 'civ-b', codigoCurso: ' CIV1 ' }, mapa)).toBe('DER-CIVIL');
    expect(cursoDeClase({ clase: 'civ-b' }, mapa)).toBeUndefined();
    // Only the map's own entries: an inherited property name is no class.
    expect(cursoDeClase({ clase: 'toString', codigoCurso: 'constructor' }, mapa)).toBeUndefined();
  });

  it('gives the shortnames sorted without repeats, and the classes it has no course for', () => {
    expect(
      cursosDeClases(
        [
          { clase: 'pen-a', codigoCurso: 'PEN1' },
          { clase: 'civ-b', codigoCurso: 'CIV1' },
          { clase: 'civ-c', codigoCurso: 'CIV1' },
          { clase: 'rom-a', codigoCurso: 'ROM1' },
          { clase: 'sin-curso', codigoCurso: null },
        ],
        mapa,
      ),
    ).toEqual({
      cursos: ['DER-CIVIL', 'DER-PENAL'],
      sinCurso: [
        { clase: 'rom-a', codigoCurso: 'ROM1' },
        { clase: 'sin-curso', codigoCurso: null },
      ],
    });
    expect(cursosDeClases([], mapa)).toEqual({ cursos: [], sinCurso: [] });
  });
});
