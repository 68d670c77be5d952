import { lecturaDeSial } from './sial-lectura.js';
import type { RegistroSial } from './sial.client.js';

const registro = (dni: string, periodo = '2027'): RegistroSial =>
  ({
    id: 1,
    dni,
    nombre: 'Ana',
    apellido: 'Paz',
    carrera: 'Abogacía',
    periodo,
    estado: null,
  }) as unknown as RegistroSial;

describe('lecturaDeSial', () => {
  it("gives each list's records as rows and each list as read, for the roll call; an empty list is partial", () => {
    const l = lecturaDeSial({
      listas: [
        { lista: 'ingresantes', registros: [registro('40123456'), registro('30111222', '2026')] },
        { lista: 'aspirantes', registros: [] },
      ],
      periodo: '2027',
    });
    expect(l.filas.map((f) => [f.fuente, f.fila, f.dni, f.estado])).toEqual([
      ['ingresantes', 1, '40123456', 'ingresante'],
    ]);
    expect(l.errores).toEqual([]);
    expect(l.listas).toEqual([
      { lista: 'ingresantes', estado: 'ingresante', dnis: new Set(['40123456', '30111222']), completa: true },
      { lista: 'aspirantes', estado: 'aspirante', dnis: new Set(), completa: false },
    ]);
  });
});
