import type { AlumnoDatos } from '@lucy/contracts';
import type { ListaLeida } from './ausencias.js';
import { consolidar } from './consolidar.js';
import type { FilaCruda } from './fila.js';
import { desactualizados, planificar, soloClases, type EntradaPlan, type Registrado } from './plan.js';

const datos = (dni: string, over: Partial<AlumnoDatos> = {}): AlumnoDatos => ({
  dni,
  nombre: 'Ana',
  apellido: 'Paz',
  emailPersonal: `a${dni}@example.com`,
  emailInstitucional: null,
  carrera: 'Contador Público',
  estado: 'ingresante',
  periodo: '2027',
  ...over,
});
const registrado = (id: string, d: AlumnoDatos, over: Partial<Registrado> = {}): Registrado => ({
  id,
  datos: d,
  deBaja: false,
  lista: 'ingresantes',
  ausencias: 0,
  ...over,
});
const fila = (n: number, d: AlumnoDatos, fuente = 'ingresantes'): FilaCruda => ({ fila: n, fuente, ...d });
const lista = (dnis: string[]): ListaLeida => ({
  lista: 'ingresantes',
  estado: 'ingresante',
  dnis: new Set(dnis),
  completa: true,
});

const NUEVA = '40000001';
const CAMBIA = '40000002';
const IGUAL = '40000003';
const SE_VA = '40000004';
const VUELVE = '40000005';
const AUSENTE = '40000006';
const DESCONOCIDA = '40000007';

const cambia = registrado('id-cambia', datos(CAMBIA));
const igual = registrado('id-igual', datos(IGUAL));
const seVa = registrado('id-se-va', datos(SE_VA));
const vuelve = registrado('id-vuelve', datos(VUELVE, { estado: 'baja' }), { deBaja: true, ausencias: 2 });
const ausente = registrado('id-ausente', datos(AUSENTE), { ausencias: 2 });
const filas = [
  fila(1, datos(NUEVA)),
  fila(2, datos(CAMBIA, { apellido: 'Paz Ruiz' })),
  fila(3, datos(IGUAL)),
  fila(4, datos(SE_VA, { estado: 'egresado' })),
  fila(5, datos(VUELVE)),
  fila(6, datos(DESCONOCIDA, { estado: 'baja' })),
  { ...fila(7, datos('40000008')), dni: '12.34' },
];

function entrada(over: Partial<EntradaPlan> = {}): EntradaPlan {
  const ids = ['id-nueva'];
  return {
    filas,
    lote: consolidar(filas),
    conocidos: new Map([cambia, igual, seVa, vuelve, ausente].map((r) => [r.datos.dni, r])),
    nuevoId: () => ids.shift()!,
    conAprobacion: false,
    paseDeLista: {
      leidas: [lista([NUEVA, CAMBIA, IGUAL, SE_VA, VUELVE, DESCONOCIDA, '40000008'])],
      activos: [cambia, igual, seVa, ausente],
      ausenciasParaBaja: 3,
    },
    ...over,
  };
}

describe('planificar', () => {
  it('says what each row does, in source order, with the data before and after, and counts it', () => {
    const plan = planificar(entrada());
    expect(plan.items.map((i) => [i.orden, i.fila, i.resultado, i.alumnoId])).toEqual([
      [1, 1, 'nuevo', 'id-nueva'],
      [2, 2, 'actualizado', 'id-cambia'],
      [3, 3, 'sin_cambios', 'id-igual'],
      [4, 4, 'baja', 'id-se-va'],
      [5, 5, 'retorno', 'id-vuelve'],
      [6, 6, 'baja_desconocida', null],
      [7, 7, 'invalido', null],
      [8, null, 'baja', 'id-ausente'],
    ]);
    const [nueva, cambiada, , egresada, vuelta, , invalida, faltante] = plan.items;
    expect(nueva).toMatchObject({ alumno: datos(NUEVA), anterior: null, previo: null, enEspera: false });
    expect(cambiada).toMatchObject({
      cambios: ['apellido'],
      anterior: datos(CAMBIA),
      alumno: datos(CAMBIA, { apellido: 'Paz Ruiz' }),
    });
    expect(egresada).toMatchObject({ motivo: 'egresado', cambios: ['estado'] });
    expect(vuelta).toMatchObject({ cambios: ['estado'], alumno: datos(VUELVE) });
    expect(invalida.motivos).toEqual([expect.stringContaining('DNI')]);
    // Absent from a third complete pull of their list in a row: leaving, with the data the registry holds.
    expect(faltante).toMatchObject({ motivo: 'ausente', fuente: 'ingresantes', alumno: datos(AUSENTE), cambios: [] });
    expect(plan.conteos).toMatchObject({
      total: 7,
      nuevos: 1,
      actualizados: 1,
      sinCambios: 1,
      bajas: 2,
      retornos: 1,
      bajasDesconocidas: [{ fila: 6, fuente: 'ingresantes', dni: DESCONOCIDA, estado: 'baja' }],
      filasInvalidas: [expect.objectContaining({ fila: 7 })],
    });
  });

  it('takes the roll call over the registry as the rows leave it: the new and the returning counted from nothing, a leaver not at all', () => {
    const plan = planificar(entrada());
    const pase = new Map(plan.pase.map((c) => [c.id, c]));
    expect(pase.get('id-nueva')).toEqual({ id: 'id-nueva', lista: 'ingresantes', ausencias: 0, previo: null });
    expect(pase.get('id-ausente')).toEqual({
      id: 'id-ausente',
      lista: 'ingresantes',
      ausencias: 3,
      previo: { lista: 'ingresantes', ausencias: 2 },
    });
    // Back: their count starts from nothing, and they were not counted absent.
    expect(pase.has('id-vuelve')).toBe(false);
    expect(pase.has('id-se-va')).toBe(false);
    expect(plan.items.filter((i) => i.motivo === 'ausente').map((i) => i.alumnoId)).toEqual(['id-ausente']);
  });

  it('counts no absence on an upload, and holds new students for approval when asked', () => {
    const plan = planificar(entrada({ paseDeLista: undefined, conAprobacion: true }));
    expect(plan.pase).toEqual([]);
    expect(plan.conteos.bajas).toBe(1);
    expect(plan.items.filter((i) => i.enEspera).map((i) => i.dni)).toEqual([NUEVA]);
    expect(plan.enEspera).toBe(1);
  });
});

describe('desactualizados', () => {
  const actual = (porId: Registrado[], dnis: string[] = []) => ({
    porId: new Map(porId.map((r) => [r.id, r])),
    dnis: new Set([...porId.map((r) => r.datos.dni), ...dnis]),
  });
  const todos = [cambia, igual, seVa, vuelve, ausente];

  it('finds nothing when the registry is as the plan saw it', () => {
    expect(desactualizados(planificar(entrada()), actual(todos))).toEqual([]);
  });

  it('names each student the plan writes whom another lote changed since, and a new DNI registered meanwhile', () => {
    const plan = planificar(entrada());
    const otro = actual(
      [
        { ...cambia, datos: { ...cambia.datos, carrera: 'Abogacía' } },
        { ...igual, datos: { ...igual.datos, carrera: 'Abogacía' } },
        { ...seVa, deBaja: true },
        vuelve,
        { ...ausente, ausencias: 0 },
      ],
      [NUEVA],
    );
    // The unchanged row is left alone by the plan: its change does not count.
    expect(desactualizados(plan, otro).sort()).toEqual([NUEVA, CAMBIA, SE_VA, AUSENTE].sort());
  });

  it('finds a student the plan writes who is gone from the registry', () => {
    expect(desactualizados(planificar(entrada()), actual(todos.filter((r) => r !== vuelve)))).toEqual([VUELVE]);
  });
});

describe("a student's classes (a OneRoster roster)", () => {
  const mapa = { 'civ-a': 'DER-CIVIL', 'civ-b': 'DER-CIVIL' };
  const civA = { clase: 'civ-a', codigoCurso: null };
  const civB = { clase: 'civ-b', codigoCurso: null };
  const conClases = registrado('id-clases', datos(CAMBIA, { cursosFuente: ['DER-CIVIL'] }), { clases: [civA, civB] });
  const delta: FilaCruda = { ...fila(1, datos(CAMBIA)), clasesFuente: { agregar: [], quitar: [civA] } };
  const plan = planificar(
    entrada({
      filas: [delta],
      lote: consolidar([delta]),
      conocidos: new Map([[CAMBIA, conClases]]),
      mapa,
      paseDeLista: undefined,
    }),
  );

  it('an unchanged student whose classes change keeps their courses, and the registry writes the classes', () => {
    const [item] = plan.items;
    expect(item).toMatchObject({ resultado: 'sin_cambios', alumno: { cursosFuente: ['DER-CIVIL'] }, clases: [civB] });
    expect(soloClases(item!)).toBe(true);
  });

  it('is out of date when another lote changed the classes since', () => {
    const actual = (r: Registrado) => ({ porId: new Map([[r.id, r]]), dnis: new Set([r.datos.dni]) });
    expect(desactualizados(plan, actual(conClases))).toEqual([]);
    expect(desactualizados(plan, actual({ ...conClases, clases: [civB] }))).toEqual([CAMBIA]);
  });
});
