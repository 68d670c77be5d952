import { filasDeUpload } from './upload-fila.js';

describe('filasDeUpload', () => {
  it('matches columns whatever their case, accents or separators', () => {
    const [f] = filasDeUpload('alumnos.csv', [
      {
        DNI: 45123456,
        Nombre: 'Ana',
        'Apellido ': 'Paz',
        'Email personal': 'a@b.com',
        email_institucional: null,
        Carrera: 'X',
        Estado: 'aspirante',
        Período: '2027',
      },
    ]);
    expect(f).toEqual({
      fila: 1,
      fuente: 'alumnos.csv',
      dni: 45123456,
      nombre: 'Ana',
      apellido: 'Paz',
      emailPersonal: 'a@b.com',
      emailInstitucional: null,
      carrera: 'X',
      estado: 'aspirante',
      periodo: '2027',
    });
  });

  it('leaves a column the file lacks undefined, so the registry keeps what it knows', () => {
    const [f] = filasDeUpload('x.json', [
      { dni: '1', nombre: 'a', apellido: 'b', carrera: 'c', estado: 'aspirante', periodo: '2027' },
    ]);
    expect(f!.emailPersonal).toBeUndefined();
    expect(f!.emailInstitucional).toBeUndefined();
  });
});
