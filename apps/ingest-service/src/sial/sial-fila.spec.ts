import { filasDeSial } from './sial-fila.js';

const registro = (cambios: Record<string, unknown> = {}) => ({
  id: 1,
  dni: '45.571.030',
  apellido: 'Flores',
  nombre: 'Brenda',
  email_personal: 'b@gmail.com',
  email_institucional: null,
  carrera: 'Contador Público',
  legajo: null,
  periodo: '2027',
  estado: 'aspirante',
  ...cambios,
});

describe('filasDeSial', () => {
  it('takes the estado from the list and numbers rows within it', () => {
    const filas = filasDeSial('ingresantes', [registro(), registro({ id: 2 })]);
    expect(filas.map((f) => [f.fuente, f.fila, f.estado])).toEqual([
      ['ingresantes', 1, 'ingresante'],
      ['ingresantes', 2, 'ingresante'],
    ]);
    expect(filas[0]).toMatchObject({
      dni: '45.571.030',
      emailPersonal: 'b@gmail.com',
      emailInstitucional: null,
      periodo: '2027',
    });
  });

  it('takes a leaving estado (baja, egresado) from the record itself, and no other', () => {
    const filas = filasDeSial('ingresantes', [
      registro({ estado: 'baja' }),
      registro({ estado: 'Egresado' }),
      registro({ estado: 'preinscripto' }),
      registro({ estado: null }),
    ]);
    expect(filas.map((f) => f.estado)).toEqual(['baja', 'egresado', 'ingresante', 'ingresante']);
  });

  it('with a periodo, keeps only that period’s records and gives it to records without one', () => {
    const filas = filasDeSial(
      'aspirantes',
      [registro(), registro({ periodo: '2026' }), registro({ periodo: null })],
      '2027',
    );
    expect(filas.map((f) => [f.fila, f.periodo])).toEqual([
      [1, '2027'],
      [3, '2027'],
    ]);
  });
});
