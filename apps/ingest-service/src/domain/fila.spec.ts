import { datosDe, leerFila, type FilaCruda } from './fila.js';

const fila = (cambios: Partial<FilaCruda> = {}): FilaCruda => ({
  fila: 1,
  fuente: 'alumnos.csv',
  dni: '45.123.456',
  nombre: '  María  José ',
  apellido: "D'Angelo",
  emailPersonal: ' Maria.Jose@Gmail.com ',
  emailInstitucional: null,
  carrera: 'Contador Público',
  estado: 'Ingresante',
  periodo: '2027',
  ...cambios,
});

describe('leerFila', () => {
  it('normalizes a valid row into the student it states', () => {
    const leida = leerFila(fila());
    expect(leida.motivos).toEqual([]);
    expect(datosDe(leida)).toEqual({
      dni: '45123456',
      nombre: 'María José',
      apellido: "D'Angelo",
      emailPersonal: 'maria.jose@gmail.com',
      emailInstitucional: null,
      carrera: 'Contador Público',
      estado: 'ingresante',
      periodo: '2027',
    });
  });

  it('reports every reason a row is invalid, not only the first', () => {
    const leida = leerFila(
      fila({
        dni: '123.45',
        nombre: ' ',
        apellido: null,
        emailPersonal: 'sofia.nunez@gmail',
        estado: 'becado',
        carrera: '',
        periodo: undefined,
      }),
    );
    expect(leida.motivos).toEqual([
      'DNI inválido "123.45": debe tener 7 u 8 dígitos (sin contar puntos ni espacios)',
      'falta el nombre',
      'falta el apellido',
      'falta la carrera',
      'falta el periodo',
      'email personal inválido: "sofia.nunez@gmail"',
      'estado desconocido: "becado" (aspirante, preinscripto, ingresante, baja, egresado)',
    ]);
    expect(leida.dni).toBe('123.45');
  });

  it('refuses an all-zeros DNI and an email over SMTP limits, with the reason', () => {
    const leida = leerFila(
      fila({
        dni: '0000000',
        emailPersonal: `${'x'.repeat(300)}@gmail.com`,
        emailInstitucional: `${'y'.repeat(65)}@unrc.edu.ar`,
      }),
    );
    expect(leida.motivos).toEqual([
      'DNI inválido "0000000": es todo ceros',
      'email personal inválido: la parte antes de la @ tiene 300 caracteres (máximo 64, RFC 5321)',
      'email institucional inválido: la parte antes de la @ tiene 65 caracteres (máximo 64, RFC 5321)',
    ]);
  });

  it('reports a missing estado', () => {
    expect(leerFila(fila({ estado: null })).motivos).toEqual(['falta el estado']);
  });

  it('takes an empty email as none, and a missing email column as not stated', () => {
    expect(datosDe(leerFila(fila({ emailPersonal: '' }))).emailPersonal).toBeNull();
    const sinColumna = datosDe(leerFila(fila({ emailPersonal: undefined, emailInstitucional: undefined })));
    expect('emailPersonal' in sinColumna).toBe(false);
    expect('emailInstitucional' in sinColumna).toBe(false);
  });

  it('refuses names longer than the registry keeps', () => {
    expect(leerFila(fila({ nombre: 'x'.repeat(201) })).motivos).toEqual([
      'nombre demasiado largo (máximo 200 caracteres)',
    ]);
  });
});
