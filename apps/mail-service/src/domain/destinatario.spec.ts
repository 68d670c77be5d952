import { elegirDestinatario } from './destinatario.js';

const UPN = 'a30111222@estudiantes.unrc.edu.ar';

describe('elegirDestinatario', () => {
  it('prefers the institutional address', () => {
    expect(elegirDestinatario({ emailInstitucional: 'ana@unrc.edu.ar', emailPersonal: 'ana@gmail.com' }, UPN)).toBe(
      'ana@unrc.edu.ar',
    );
  });

  it('falls back to the personal address when there is no institutional one', () => {
    expect(elegirDestinatario({ emailInstitucional: null, emailPersonal: 'ana@gmail.com' }, UPN)).toBe('ana@gmail.com');
  });

  it('does not send the password to the very account it unlocks', () => {
    expect(elegirDestinatario({ emailInstitucional: UPN.toUpperCase(), emailPersonal: 'ana@gmail.com' }, UPN)).toBe(
      'ana@gmail.com',
    );
  });

  it('has no recipient when the student has no usable address', () => {
    expect(elegirDestinatario({ emailInstitucional: null, emailPersonal: null }, UPN)).toBeNull();
    expect(elegirDestinatario({ emailInstitucional: UPN, emailPersonal: null }, UPN)).toBeNull();
  });
});
