import { emailDesdeUpn, perfilMoodle, UsernameInvalido, usernameDesdeUpn } from './usuario.js';

describe('usernameDesdeUpn', () => {
  it('is the whole UPN, lower-cased and trimmed', () => {
    expect(usernameDesdeUpn(' Juan.Perez-2@Facultad.EDU.ar ')).toBe('juan.perez-2@facultad.edu.ar');
    expect(usernameDesdeUpn('40123456@alumnos.facultad.edu.ar')).toBe('40123456@alumnos.facultad.edu.ar');
  });

  it('refuses a UPN with characters Moodle does not allow in a username', () => {
    expect(() => usernameDesdeUpn("o'brien@facultad.edu.ar")).toThrow(UsernameInvalido);
    expect(() => usernameDesdeUpn('josé@facultad.edu.ar')).toThrow(/valid Moodle username/);
  });
});

describe('perfilMoodle', () => {
  it('takes the email from the UPN and the DNI as idnumber', () => {
    const alumno = {
      dni: '40123456', nombre: ' Ana ', apellido: 'Gómez', emailPersonal: 'ana@example.com', emailInstitucional: null,
      carrera: 'Contador Público', estado: 'ingresante' as const, periodo: '2027',
    };
    expect(perfilMoodle('Ana.Gomez@Facultad.edu.ar', alumno)).toEqual({
      username: 'ana.gomez@facultad.edu.ar', email: 'ana.gomez@facultad.edu.ar', firstname: 'Ana', lastname: 'Gómez', idnumber: '40123456',
    });
    expect(emailDesdeUpn('X@Y.AR')).toBe('x@y.ar');
  });
});
