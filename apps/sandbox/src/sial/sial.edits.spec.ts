import { aplicarEdiciones, buscar, CambioRegistro, type Edicion } from './sial.edits.js';
import { generateCohort, SIAL_LISTS } from './sial.generator.js';

const base = generateCohort({ size: 60, seed: 2027, year: 2027, revision: 0 });
const todos = SIAL_LISTS.flatMap((l) => base[l]);
/** A record listed once (the cohort lists some students twice on purpose), with a DNI of digits only. */
const unico = (lista: (typeof SIAL_LISTS)[number]) =>
  base[lista].find((r) => /^\d+$/.test(r.dni) && todos.filter((x) => x.dni.replace(/\D/g, '') === r.dni).length === 1)!;
const ingresante = unico('ingresantes');
const dni = ingresante.dni;
const dnis = (c: typeof base) => Object.fromEntries(SIAL_LISTS.map((l) => [l, c[l].map((r) => r.dni)]));

describe('SIAL edits', () => {
  it('changes a record in place and keeps every other record as generated', () => {
    const c = aplicarEdiciones(base, [{ kind: 'patch', dni, cambios: { apellido: 'Otro', estado: 'baja' } }]);
    expect(buscar(c, dni)).toEqual([
      { lista: 'ingresantes', record: { ...ingresante, apellido: 'Otro', estado: 'baja' } },
    ]);
    expect(dnis(c)).toEqual(dnis(base));
    expect(c.aspirantes).toEqual(base.aspirantes);
  });

  it('finds a record whose DNI SIAL holds with dots or spaces by its digits', () => {
    const conPuntos = todos.find((r) => r.dni.includes('.'))!;
    const c = aplicarEdiciones(base, [{ kind: 'remove', dni: conPuntos.dni.replace(/\D/g, '') }]);
    expect(SIAL_LISTS.flatMap((l) => c[l]).some((r) => r.dni === conPuntos.dni)).toBe(false);
    // Listed twice (an admitted student still among the aspirantes): both go.
    expect(SIAL_LISTS.flatMap((l) => c[l])).toHaveLength(todos.length - 2);
  });

  it('moves a record to another list, with that list’s estado, and removes and adds back in order', () => {
    const aspirante = unico('aspirantes');
    const { id: _, ...datos } = aspirante;
    const ediciones: Edicion[] = [
      { kind: 'patch', dni: aspirante.dni, lista: 'aspirantes', cambios: { lista: 'ingresantes' } },
      { kind: 'remove', dni },
      { kind: 'add', lista: 'ingresantes', record: { ...ingresante, estado: 'ingresante' } },
      { kind: 'add', lista: 'preinscriptos', record: { ...datos, dni: '30111222', estado: 'preinscripto' } },
    ];
    const c = aplicarEdiciones(base, ediciones);
    expect(buscar(c, aspirante.dni).map((x) => [x.lista, x.record.estado])).toEqual([['ingresantes', 'ingresante']]);
    // Taken off and added back: at the list's end, under a new id that does not depend on the revision.
    expect(c.ingresantes.at(-1)).toEqual({ ...ingresante, id: 1_000_002 });
    expect(buscar(c, '30111222')[0]!.record.id).toBe(1_000_003);
    expect(aplicarEdiciones(base, ediciones)).toEqual(c);
    expect(base).toEqual(generateCohort({ size: 60, seed: 2027, year: 2027, revision: 0 })); // not touched
  });

  it('refuses a change that names nothing, an unknown field or a value of the wrong type', () => {
    expect(CambioRegistro.safeParse({}).success).toBe(false);
    expect(CambioRegistro.safeParse({ apodo: 'x' }).success).toBe(false);
    expect(CambioRegistro.safeParse({ estado: 'becado' }).success).toBe(false);
    expect(CambioRegistro.safeParse({ anio_ingreso: '2027' }).success).toBe(false);
    expect(CambioRegistro.safeParse({ lista: 'egresados' }).success).toBe(false);
    expect(CambioRegistro.safeParse({ email_personal: 'no-es-un-email', estado: 'egresado' }).success).toBe(true);
  });
});
