import { paramNotags } from '../moodle/param-notags.js';
import {
  camposDistintos,
  emailDesdeUpn,
  NombreInvalido,
  nombreMoodle,
  perfilMoodle,
  UsernameInvalido,
  usernameDesdeUpn,
} from './usuario.js';

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
      dni: '40123456',
      nombre: ' Ana ',
      apellido: 'Gómez',
      emailPersonal: 'ana@example.com',
      emailInstitucional: null,
      carrera: 'Contador Público',
      estado: 'ingresante' as const,
      periodo: '2027',
    };
    expect(perfilMoodle('Ana.Gomez@Facultad.edu.ar', alumno)).toEqual({
      username: 'ana.gomez@facultad.edu.ar',
      email: 'ana.gomez@facultad.edu.ar',
      firstname: 'Ana',
      lastname: 'Gómez',
      idnumber: '40123456',
    });
    expect(emailDesdeUpn('X@Y.AR')).toBe('x@y.ar');
  });
});

describe('nombreMoodle (firstname, lastname: PARAM_NOTAGS)', () => {
  it.each([
    ['Ana María', 'Ana María'],
    ["D'Angelo", "D'Angelo"],
    ['<script>alert(1)</script>Ana', 'alert(1)Ana'],
    ['<b>Ana</b>  <i>Paz</i>', 'Ana Paz'],
    ['Ana <img src=x onerror=alert(1)>', 'Ana'],
    ['1 < 2 Ana', '1 < 2 Ana'],
    ['Ana < ', 'Ana'], // trimmed, the '<' would be last, a tag for Moodle: cleaned again
    ['Ana\0Paz', 'AnaPaz'],
  ])('sends %j as %j, which Moodle keeps unchanged', (nombre, enviado) => {
    const r = nombreMoodle(nombre, 'firstname');
    expect(r).toBe(enviado);
    expect(paramNotags(r)).toBe(r); // validate_param would accept it
  });

  it('refuses a name that is nothing but tags, naming the field', () => {
    expect(() => nombreMoodle('<b></b>', 'lastname')).toThrow(NombreInvalido);
    expect(() => nombreMoodle('<script>', 'firstname')).toThrow(/firstname .*nothing but HTML tags/);
  });
});

describe('camposDistintos', () => {
  const deseado = { firstname: 'Ana María', lastname: 'Gómez', email: 'a@x.edu', idnumber: '40123456' };

  it('is only the fields whose value Moodle does not hold, with the value to send', () => {
    expect(camposDistintos({ ...deseado, firstname: 'Ana' }, deseado)).toEqual({ firstname: 'Ana María' });
    expect(camposDistintos(deseado, deseado)).toEqual({});
  });

  it('counts a field Moodle left out of its answer as different (an empty idnumber is omitted)', () => {
    const { idnumber: _, ...sinIdnumber } = deseado;
    expect(camposDistintos(sinIdnumber, deseado)).toEqual({ idnumber: '40123456' });
  });
});
