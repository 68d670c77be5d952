import { decidir } from './envio.js';

describe('decidir (one email per student, template and credential version)', () => {
  it('sends when nothing was tried yet', () => {
    expect(decidir(null)).toBe('enviar');
  });

  it('repeats the outcome of an email already accepted, without sending it again', () => {
    expect(decidir({ estado: 'enviado', permanente: null })).toBe('repetirResultado');
  });

  it('repeats a permanent rejection without knocking on the server again', () => {
    expect(decidir({ estado: 'fallido', permanente: true })).toBe('repetirResultado');
  });

  it('tries again after a refusal the server called temporary (nothing was accepted)', () => {
    expect(decidir({ estado: 'fallido', permanente: false })).toBe('enviar');
  });

  it('never sends blindly after a try that died mid-send: it declares the outcome uncertain', () => {
    expect(decidir({ estado: 'enviando', permanente: null })).toBe('declararIncierto');
    expect(decidir({ estado: 'incierto', permanente: false })).toBe('repetirResultado');
  });
});
