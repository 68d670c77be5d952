import { CalendarioInvalido, leerCsvCalendario } from './calendario-importacion.js';

const error = (texto: string) => {
  try {
    leerCsvCalendario(texto);
  } catch (err) {
    return err as CalendarioInvalido;
  }
  throw new Error('no error');
};

describe('calendar CSV import', () => {
  it('reads periods with optional hasta and tipo, either date format and separator', () => {
    expect(
      leerCsvCalendario(
        '\uFEFFdesde;hasta;nombre;tipo\n2027-01-01;;Año Nuevo;\n12/07/2027;23/07/2027;Receso invernal;receso\n\n',
      ),
    ).toEqual([
      { desde: '2027-01-01', hasta: '2027-01-01', nombre: 'Año Nuevo', tipo: 'feriado' },
      { desde: '2027-07-12', hasta: '2027-07-23', nombre: 'Receso invernal', tipo: 'receso' },
    ]);
    expect(leerCsvCalendario('Desde,Nombre\n2027-05-01,Día del Trabajador')).toEqual([
      { desde: '2027-05-01', hasta: '2027-05-01', nombre: 'Día del Trabajador', tipo: 'feriado' },
    ]);
  });

  it('names the line of what it cannot take (a blank line counts as a line of the file)', () => {
    const csv = 'desde,nombre,tipo\n2027-01-01,Año Nuevo,feriado\n\n2027-02-30,Inexistente,feriado\n';
    expect(error(csv)).toMatchObject({
      linea: 4,
      message: expect.stringMatching(/^línea 4: desde "2027-02-30" no es una fecha/),
    });
    expect(error('desde,hasta,nombre\n2027-03-10,2027-03-01,Al revés\n').message).toBe(
      'línea 2: hasta (2027-03-01) es anterior a desde (2027-03-10)',
    );
    expect(error('desde,nombre,tipo\n2027-03-10,Paro,huelga\n').message).toBe(
      'línea 2: tipo "huelga" no es feriado ni receso',
    );
    expect(error('desde,nombre\n2027-03-10,\n').message).toBe('línea 2: falta el nombre');
    expect(error('desde,nombre\n2027-03-10,Uno,dos\n').message).toBe(
      'línea 2: no tiene la misma cantidad de columnas que el encabezado',
    );
    expect(error('desde,nombre\n2027-03-10,"sin cerrar\n').message).toMatch(
      /^línea \d+: una comilla abierta no se cierra$/,
    );
  });

  it('refuses a header without the columns it needs, or with one it does not know', () => {
    expect(error('fecha,nombre\n2027-01-01,X\n').message).toBe(
      'línea 1: el encabezado debe tener las columnas desde, hasta, nombre, tipo (falta desde)',
    );
    expect(error('desde,nombre,lugar\n2027-01-01,X,Y\n').message).toBe(
      'línea 1: columna desconocida "lugar" (las columnas son desde, hasta, nombre, tipo)',
    );
    expect(error('desde,nombre\n').message).toBe('el archivo no tiene ningún período (solo el encabezado, o vacío)');
  });
});
