import type { AlumnoDatos, ItemPlan } from '@lucy/contracts';
import { itemVista, type CursosConocidos } from './plan-vista.js';

const datos = (over: Partial<AlumnoDatos> = {}): AlumnoDatos => ({
  dni: '40123456',
  nombre: 'Ana',
  apellido: 'Paz',
  emailPersonal: null,
  emailInstitucional: null,
  carrera: 'Abogacía',
  estado: 'ingresante',
  periodo: '2027',
  ...over,
});
const item = (over: Partial<ItemPlan>): ItemPlan => ({
  orden: 1,
  resultado: 'sin_cambios',
  fila: 1,
  fuente: 'ingresantes',
  dni: '40123456',
  alumnoId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  alumno: datos(),
  anterior: datos(),
  cambios: [],
  motivo: null,
  motivos: [],
  enEspera: false,
  ...over,
});
const MAPA = { ingresante: { '*': ['ING'], '2027': ['ING-27'] }, preinscripto: { '*': ['PRE'], '2027': ['ING-27'] } };
const desconocidos: CursosConocidos = { cursos: null, cursosAnteriores: null };
const conocidos = (cursosAnteriores: CursosConocidos['cursosAnteriores']): CursosConocidos => ({
  cursos: MAPA,
  cursosAnteriores,
});
const cambioDeEstado = item({
  resultado: 'actualizado',
  anterior: datos({ estado: 'preinscripto' }),
  cambios: ['estado'],
});

describe('itemVista', () => {
  it('a new student: create, enrol in the courses of their estado/periodo (named when an operator set the map), email', () => {
    const nuevo = item({ resultado: 'nuevo', anterior: null });
    expect(itemVista(nuevo, desconocidos)).toMatchObject({
      accion: 'crear',
      cursos: { inscribir: null, nota: 'los cursos de ingresante 2027 que asigna moodle-service' },
      efectos: [
        'crear la cuenta de Microsoft 365',
        'enrolar en los cursos de ingresante 2027 que asigna moodle-service',
        'enviar las credenciales',
      ],
    });
    expect(itemVista(nuevo, conocidos(null)).cursos).toMatchObject({ inscribir: ['ING-27', 'ING'], desinscribir: [] });
    // Waiting for approval: nothing is created yet.
    expect(itemVista({ ...nuevo, enEspera: true }, conocidos(null)).efectos).toEqual([
      'registrar; espera la aprobación de un operador antes de crear su cuenta',
    ]);
  });

  it('an update: each field before and after; a new estado or periodo enrols its courses and keeps or unenrols the previous ones as cursosAnteriores says', () => {
    const v = itemVista(cambioDeEstado, conocidos('desenrolar'));
    expect(v.cambios).toEqual([{ campo: 'estado', antes: 'preinscripto', despues: 'ingresante' }]);
    expect(v.cursos).toMatchObject({ inscribir: ['ING-27', 'ING'], desinscribir: ['PRE'] });
    expect(v.efectos).toEqual([
      'actualizar estado en la cuenta y en Moodle (el UPN no cambia)',
      expect.stringContaining('enrolar en ING-27, ING'),
      'desenrolar de PRE',
    ]);
    expect(itemVista(cambioDeEstado, conocidos('conservar')).cursos).toMatchObject({ desinscribir: [] });
    // cursosAnteriores never set: the gateway cannot say which previous courses go.
    expect(itemVista(cambioDeEstado, conocidos(null)).cursos).toMatchObject({
      inscribir: ['ING-27', 'ING'],
      desinscribir: null,
    });
    expect(itemVista(cambioDeEstado, desconocidos).cursos).toMatchObject({ inscribir: null, desinscribir: null });
    // Another field only: no course changes.
    expect(
      itemVista(
        item({ resultado: 'actualizado', cambios: ['apellido'], alumno: datos({ apellido: 'Ruiz' }) }),
        conocidos('desenrolar'),
      ).cursos,
    ).toBeNull();
  });

  it('a leaver is suspended with their reason and keeps their courses; nothing for an unchanged or invalid row', () => {
    expect(
      itemVista(item({ resultado: 'baja', motivo: 'ausente', fila: null }), conocidos('desenrolar')),
    ).toMatchObject({
      accion: 'suspender',
      cursos: null,
      efectos: [expect.stringMatching(/^suspender \(ausente de SIAL\).*conserva sus cursos$/)],
    });
    expect(itemVista(item({}), desconocidos)).toMatchObject({ accion: 'ninguna', efectos: [], cursos: null });
    expect(
      itemVista(
        item({ resultado: 'invalido', alumno: null, anterior: null, motivos: ['falta el nombre'] }),
        desconocidos,
      ),
    ).toMatchObject({ accion: 'invalida', motivos: ['falta el nombre'], nombre: null });
  });

  it("names the source's courses (a OneRoster student's classes) with the configuration's, and a change of them", () => {
    const nuevo = item({ resultado: 'nuevo', anterior: null, alumno: datos({ cursosFuente: ['DER-CIVIL'] }) });
    expect(itemVista(nuevo, conocidos(null)).cursos).toMatchObject({
      inscribir: ['ING-27', 'ING', 'DER-CIVIL'],
      deLaFuente: ['DER-CIVIL'],
    });
    expect(itemVista(nuevo, desconocidos).cursos?.nota).toMatch(/y los de su fuente \(DER-CIVIL\)/);
    const otrasClases = item({
      resultado: 'actualizado',
      anterior: datos({ cursosFuente: ['DER-CIVIL', 'DER-ROMANO'] }),
      alumno: datos({ cursosFuente: ['DER-CIVIL', 'DER-PENAL'] }),
      cambios: ['cursosFuente'],
    });
    expect(itemVista(otrasClases, conocidos('desenrolar')).cursos).toMatchObject({
      inscribir: ['ING-27', 'ING', 'DER-CIVIL', 'DER-PENAL'],
      desinscribir: ['DER-ROMANO'],
    });
    expect(itemVista(otrasClases, conocidos('desenrolar')).efectos).toEqual([
      expect.stringMatching(/^enrolar en ING-27, ING, DER-CIVIL, DER-PENAL/),
      'desenrolar de DER-ROMANO',
    ]);
    // The same list in another order is no change of courses.
    const mismo = item({
      resultado: 'actualizado',
      anterior: datos({ cursosFuente: ['B', 'A'], nombre: 'Anita' }),
      alumno: datos({ cursosFuente: ['A', 'B'] }),
      cambios: ['nombre'],
    });
    expect(itemVista(mismo, conocidos('desenrolar')).cursos).toBeNull();
  });
});
