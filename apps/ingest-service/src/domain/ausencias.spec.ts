import { pasarLista, type ListaLeida, type Listado } from './ausencias.js';

const lista = (nombre: string, dnis: string[], completa = true): ListaLeida => ({
  lista: nombre,
  estado: nombre === 'ingresantes' ? 'ingresante' : nombre === 'aspirantes' ? 'aspirante' : 'preinscripto',
  dnis: new Set(dnis),
  completa,
});
const ana: Listado = { id: 'a', dni: '40111222', estado: 'ingresante', lista: 'ingresantes', ausencias: 0 };

/** Runs pulls one after another over one student, applying each roll call as the registry would. */
function tras(pulls: ListaLeida[][], n = 3, alumno: Listado = ana) {
  let a = { ...alumno };
  const bajas: number[] = [];
  pulls.forEach((leidas, i) => {
    const r = pasarLista([a], leidas, n);
    const c = r.cambios.find((x) => x.id === a.id);
    if (c) a = { ...a, lista: c.lista, ausencias: c.ausencias };
    if (r.bajas.includes(a.id)) bajas.push(i + 1);
  });
  return { alumno: a, bajas };
}

describe('pasarLista', () => {
  it('takes a student absent from n complete pulls of their list in a row as leaving, on the nth', () => {
    const sinAna = [lista('ingresantes', ['30000000'])];
    expect(tras([sinAna, sinAna])).toEqual({ alumno: { ...ana, ausencias: 2 }, bajas: [] });
    expect(tras([sinAna, sinAna, sinAna]).bajas).toEqual([3]);
  });

  it('starts the count again when the student shows up, even in a row that is invalid or of another period', () => {
    const sinAna = [lista('ingresantes', ['30000000'])];
    const conAna = [lista('ingresantes', ['30000000', ana.dni])];
    expect(tras([sinAna, sinAna, conAna, sinAna, sinAna])).toEqual({ alumno: { ...ana, ausencias: 2 }, bajas: [] });
  });

  it('does not count a list that came back partial (empty), nor one this pull did not read', () => {
    const vacia = [lista('ingresantes', [], false)];
    const otra = [lista('aspirantes', ['30000000'])];
    const sinAna = [lista('ingresantes', ['30000000'])];
    const r = tras([sinAna, vacia, otra, sinAna, vacia, sinAna]);
    expect(r.bajas).toEqual([6]);
    expect(tras([sinAna, vacia, otra, sinAna]).alumno.ausencias).toBe(2);
  });

  it('follows a student to the list they moved to, preferring the one of their estado', () => {
    const pedro: Listado = { id: 'p', dni: '45000001', estado: 'ingresante', lista: 'aspirantes', ausencias: 1 };
    const r = pasarLista(
      [pedro],
      [lista('aspirantes', [pedro.dni]), lista('preinscriptos', []), lista('ingresantes', [pedro.dni])],
      3,
    );
    expect(r).toEqual({ cambios: [{ id: 'p', lista: 'ingresantes', ausencias: 0 }], bajas: [] });
    // Absent from aspirantes now, but it is no longer their list.
    const despues = pasarLista([{ ...pedro, lista: 'ingresantes', ausencias: 0 }], [lista('aspirantes', [])], 3);
    expect(despues).toEqual({ cambios: [], bajas: [] });
  });

  it('never counts a student SIAL never listed (an upload’s), and counts nothing with n = 0', () => {
    const sinAna = [lista('ingresantes', ['30000000'])];
    expect(pasarLista([{ ...ana, lista: null }], sinAna, 3)).toEqual({ cambios: [], bajas: [] });
    expect(tras([sinAna, sinAna, sinAna, sinAna], 0)).toEqual({ alumno: ana, bajas: [] });
  });

  it('with a smaller n than the count reached, takes the student as leaving at their next absence', () => {
    const sinAna = [lista('ingresantes', ['30000000'])];
    expect(pasarLista([{ ...ana, ausencias: 4 }], sinAna, 2)).toEqual({
      cambios: [{ id: 'a', lista: 'ingresantes', ausencias: 5 }],
      bajas: ['a'],
    });
  });
});
