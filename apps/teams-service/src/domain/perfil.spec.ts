import { cambiosDePerfil, perfilDe } from './perfil.js';

const alumno = { dni: '40123456', nombre: ' María José ', apellido: 'Núñez', carrera: 'Abogacía' };

describe('the Entra profile of a student', () => {
  it('names them, puts their carrera as department and their DNI as employeeId', () => {
    expect(perfilDe(alumno)).toEqual({
      displayName: 'María José Núñez',
      givenName: 'María José',
      surname: 'Núñez',
      department: 'Abogacía',
      employeeId: '40123456',
    });
  });

  it('keeps within Entra’s lengths (64 for names and department, 256 for displayName)', () => {
    const largo = perfilDe({ ...alumno, nombre: 'N'.repeat(200), apellido: 'A'.repeat(200), carrera: 'C'.repeat(200) });
    expect([largo.givenName.length, largo.surname.length, largo.department.length, largo.displayName.length]).toEqual([
      64, 64, 64, 256,
    ]);
  });
});

describe('what an update changes', () => {
  const perfil = perfilDe(alumno);

  it('is nothing when Entra has every value already', () => {
    expect(cambiosDePerfil({ ...perfil }, perfil)).toEqual({});
  });

  it('is only the values that differ, a missing or null one included', () => {
    expect(cambiosDePerfil({ ...perfil, surname: 'Nunez', department: null, employeeId: undefined }, perfil)).toEqual({
      surname: 'Núñez',
      department: 'Abogacía',
      employeeId: '40123456',
    });
  });
});
