import type { Configuracion } from '@lucy/contracts';
import { DEFECTO } from './configuracion.schema.js';
import { conClavesNuevas } from './configuracion.store.js';

describe('conClavesNuevas', () => {
  it('gives a version stored before a key with a default existed that default, and leaves stored values alone', () => {
    const {
      cursosAnteriores: _,
      sincronizacion: __,
      retencion: ___,
      ...antigua
    } = { ...DEFECTO, moodleAuth: 'manual' as const };
    expect(conClavesNuevas(antigua as Configuracion)).toEqual({
      ...DEFECTO,
      moodleAuth: 'manual',
      cursosAnteriores: 'conservar',
      sincronizacion: { activa: false, cron: '0 2 * * *', fuentes: ['ingresantes'], periodo: null },
      retencion: { dias: 90, auditoriaDias: 365, aparcadosDias: 7 },
    });
    const actual: Configuracion = { ...DEFECTO, cursosAnteriores: 'desenrolar' };
    expect(conClavesNuevas(actual)).toEqual(actual);
  });
});
