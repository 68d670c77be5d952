import { consolidar } from './consolidar.js';
import type { FilaCruda } from './fila.js';

let n = 0;
const fila = (cambios: Partial<FilaCruda> = {}): FilaCruda => ({
  fila: ++n,
  fuente: 'aspirantes',
  dni: '45123456',
  nombre: 'Brenda',
  apellido: 'Flores',
  emailPersonal: 'brenda.flores20@gmail.com',
  emailInstitucional: null,
  carrera: 'Licenciatura en Economía',
  estado: 'aspirante',
  periodo: '2027',
  ...cambios,
});

beforeEach(() => (n = 0));

describe('consolidar', () => {
  it('gives one student per DNI and the invalid rows with their reasons, in source order', () => {
    const r = consolidar([
      fila(),
      fila({ dni: '46000000', emailPersonal: 'maria..lopez@@hotmail.com' }),
      fila({ dni: '47000000' }),
    ]);
    expect(r.alumnos.map((a) => a.dni)).toEqual(['45123456', '47000000']);
    expect(r.invalidas).toEqual([
      {
        fila: 2,
        fuente: 'aspirantes',
        dni: '46000000',
        motivos: ['email personal inválido: "maria..lopez@@hotmail.com"'],
      },
    ]);
  });

  it('merges a DNI repeated with the same data, however the DNI was typed', () => {
    const r = consolidar([fila(), fila({ dni: '45.123.456', nombre: ' Brenda ' })]);
    expect(r.alumnos).toHaveLength(1);
    expect(r.invalidas).toEqual([]);
  });

  it('keeps ingresante when SIAL still lists an admitted student among the aspirantes', () => {
    const r = consolidar([fila(), fila({ fuente: 'ingresantes', estado: 'ingresante' })]);
    expect(r.alumnos).toEqual([
      expect.objectContaining({
        dni: '45123456',
        fila: 1,
        fuente: 'aspirantes',
        datos: expect.objectContaining({ estado: 'ingresante' }),
      }),
    ]);
  });

  it('keeps a student SIAL marks leaving in one list while an older list still has them', () => {
    const r = consolidar([fila(), fila({ fuente: 'ingresantes', estado: 'baja' })]);
    expect(r.invalidas).toEqual([]);
    expect(r.alumnos.map((a) => a.datos.estado)).toEqual(['baja']);
    const dos = consolidar([
      fila({ fuente: 'ingresantes', estado: 'baja' }),
      fila({ fuente: 'ingresantes', estado: 'egresado' }),
    ]);
    expect(dos.alumnos).toEqual([]);
    expect(dos.invalidas[0]!.motivos[0]).toContain('(estado)');
  });

  it('reports every row of a DNI repeated with conflicting data, naming the fields and the rows', () => {
    const r = consolidar([fila(), fila({ dni: '45.123.456', emailPersonal: 'brenda.flores.bis@gmail.com' })]);
    expect(r.alumnos).toEqual([]);
    const motivo = 'DNI repetido en el lote con datos distintos (emailPersonal): aspirantes fila 1, aspirantes fila 2';
    expect(r.invalidas).toEqual([
      { fila: 1, fuente: 'aspirantes', dni: '45123456', motivos: [motivo] },
      { fila: 2, fuente: 'aspirantes', dni: '45123456', motivos: [motivo] },
    ]);
  });

  it('finds aspirante and preinscripto for one DNI a conflict', () => {
    const r = consolidar([fila(), fila({ fuente: 'preinscriptos', estado: 'preinscripto' })]);
    expect(r.alumnos).toEqual([]);
    expect(r.invalidas[0]!.motivos[0]).toContain('(estado)');
  });

  it('finds rows of one DNI that differ in a stated field, even a missing one, in conflict', () => {
    const r = consolidar([fila({ periodo: '' }), fila()]);
    expect(r.invalidas.map((i) => i.motivos)).toEqual([
      [
        'falta el periodo',
        'DNI repetido en el lote con datos distintos (periodo): aspirantes fila 1, aspirantes fila 2',
      ],
      ['DNI repetido en el lote con datos distintos (periodo): aspirantes fila 1, aspirantes fila 2'],
    ]);
  });

  it('does not register a DNI whose other row is invalid', () => {
    const r = consolidar([fila({ estado: 'becado' }), fila()]);
    expect(r.alumnos).toEqual([]);
    expect(r.invalidas.map((i) => i.motivos)).toEqual([
      ['estado desconocido: "becado" (aspirante, preinscripto, ingresante, baja, egresado)'],
      ['DNI repetido en el lote y la otra fila es inválida: aspirantes fila 1'],
    ]);
  });

  it('reports rows without a usable DNI apart, each on its own', () => {
    const r = consolidar([fila({ dni: '' }), fila({ dni: '' })]);
    expect(r.invalidas).toEqual([
      { fila: 1, fuente: 'aspirantes', dni: null, motivos: ['falta el DNI'] },
      { fila: 2, fuente: 'aspirantes', dni: null, motivos: ['falta el DNI'] },
    ]);
  });
});
