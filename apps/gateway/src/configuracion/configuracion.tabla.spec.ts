import { ordenarClaves } from './configuracion.tabla.js';

describe('the keys set, as the API lists them', () => {
  it('come in the configuration’s own order, once each, any unknown key after them', () => {
    expect(ordenarClaves(['zonaHoraria', 'upn', 'loteTamano', 'upn', 'viejaClave'])).toEqual(['loteTamano', 'upn', 'zonaHoraria', 'viejaClave']);
  });
});
