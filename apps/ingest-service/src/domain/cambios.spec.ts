import type { AlumnoDatos } from '@lucy/contracts';
import { clasificar } from './cambios.js';

const conocido: AlumnoDatos = {
  dni: '46655562',
  nombre: 'María José',
  apellido: "D'Angelo",
  emailPersonal: 'mj@yahoo.com.ar',
  emailInstitucional: 'dangelo.mariajose@estudiantes.unrc.edu.ar',
  carrera: 'Licenciatura en Administración',
  estado: 'preinscripto',
  periodo: '2027',
};

describe('clasificar', () => {
  it('finds a student the registry does not know new, with no email for an unstated one', () => {
    const { emailInstitucional: _, ...sinInstitucional } = conocido;
    expect(clasificar(undefined, sinInstitucional)).toEqual({
      resultado: 'nuevo',
      datos: { ...conocido, emailInstitucional: null },
    });
  });

  it('leaves an unchanged student alone', () => {
    expect(clasificar(conocido, { ...conocido })).toEqual({ resultado: 'sin_cambios', datos: conocido });
  });

  it('names exactly the fields that changed', () => {
    const r = clasificar(conocido, { ...conocido, apellido: "D'Ángelo", estado: 'ingresante', emailPersonal: null });
    expect(r).toMatchObject({ resultado: 'actualizado', cambios: ['apellido', 'emailPersonal', 'estado'] });
  });

  it('keeps a known email the source has no column for', () => {
    const { emailPersonal: _p, emailInstitucional: _i, ...sinEmails } = conocido;
    expect(clasificar(conocido, { ...sinEmails, carrera: 'Contador Público' })).toEqual({
      resultado: 'actualizado',
      datos: { ...conocido, carrera: 'Contador Público' },
      cambios: ['carrera'],
    });
  });
});
