import { aplicarMapeo, ArchivoInvalido, delimitadorDe, filasDelArchivo, leerCsv, leerJson } from './lote-archivo.js';

const csv = (s: string) => Buffer.from(s, 'utf8');
const limites = { maxFilas: 3 };

describe('an uploaded lote file', () => {
  it('reads a CSV with a header, whatever its delimiter, and maps columns to fields', () => {
    const filas = filasDelArchivo(
      { nombre: 'a.csv', tipo: 'text/csv', contenido: csv('\uFEFFDocumento;Nombres;Apellido\r\n40123456;Ana;Paz\r\n') },
      { dni: 'Documento', nombre: 'Nombres' },
      limites,
    );
    expect(filas).toEqual([{ Apellido: 'Paz', dni: '40123456', nombre: 'Ana' }]);
  });

  it('tells the delimiter from the header, ignoring quoted ones', () => {
    expect(delimitadorDe('"a,b";c;d\n1;2;3')).toBe(';');
    expect(delimitadorDe('a,b,c')).toBe(',');
    expect(delimitadorDe('a\tb')).toBe('\t');
  });

  it('names the line whose column count differs from the header', () => {
    expect(() => leerCsv(csv('dni,nombre\n1,Ana\n2,Bea,extra\n'), limites)).toThrow(/línea 3/);
  });

  it('refuses an unclosed quote, a header without a name, a repeated column and a binary file', () => {
    expect(() => leerCsv(csv('dni,nombre\n1,"Ana\n'), limites)).toThrow(ArchivoInvalido);
    expect(() => leerCsv(csv('dni,,x\n1,2,3\n'), limites)).toThrow(/columna 2/);
    expect(() => leerCsv(csv('dni,dni\n1,2\n'), limites)).toThrow(/dos veces/);
    expect(() => leerCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), limites)).toThrow(/no es texto/);
  });

  it('refuses a mapping that names a column the file lacks, listing the columns it has', () => {
    expect(() => aplicarMapeo([{ DNI: '1' }], { dni: 'Documento' })).toThrow(/dni→"Documento".*DNI/);
  });

  it('refuses an empty file and one with more rows than allowed', () => {
    expect(() => filasDelArchivo({ nombre: 'a.csv', tipo: 'text/csv', contenido: csv('dni\n') }, {}, limites)).toThrow(
      /no tiene filas/,
    );
    expect(() =>
      filasDelArchivo({ nombre: 'a.csv', tipo: 'text/csv', contenido: csv('dni\n1\n2\n3\n4\n5\n') }, {}, limites),
    ).toThrow(/más de 3 filas/);
  });

  it('reads JSON rows and names the row and column of a bad value', () => {
    expect(leerJson(csv('[{"dni":"1","edad":20,"x":null}]'))).toEqual([{ dni: '1', edad: 20, x: null }]);
    expect(() => leerJson(csv('[{"dni":"1"},{"dni":{"a":1}}]'))).toThrow(/fila 2, columna "dni"/);
    expect(() => leerJson(csv('{"dni":"1"}'))).toThrow(/arreglo/);
    expect(() => leerJson(csv('[{"dni":'))).toThrow(/no es JSON válido/);
  });
});
