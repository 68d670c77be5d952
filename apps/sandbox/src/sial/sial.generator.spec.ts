import { SIAL_LISTS, generateCohort, withDots } from './sial.generator.js';

const cfg = { size: 60, seed: 2027, year: 2027, revision: 0 };
const all = (c: ReturnType<typeof generateCohort>) => SIAL_LISTS.flatMap((l) => c[l]);
const digits = (dni: string) => dni.replace(/\D/g, '');

describe('SIAL cohort generator', () => {
  it('is deterministic for a seed and differs for another', () => {
    expect(generateCohort(cfg)).toEqual(generateCohort(cfg));
    expect(generateCohort({ ...cfg, seed: 1 })).not.toEqual(generateCohort(cfg));
  });

  it('fills all three lists with the seed fields and realistic extras', () => {
    const c = generateCohort(cfg);
    for (const l of SIAL_LISTS) expect(c[l].length).toBeGreaterThan(0);
    for (const r of all(c)) {
      expect(Object.keys(r).sort()).toEqual(
        [
          'anio_ingreso',
          'apellido',
          'carrera',
          'dni',
          'email_institucional',
          'email_personal',
          'estado',
          'fecha_nacimiento',
          'id',
          'legajo',
          'nombre',
          'periodo',
          'sede',
        ].sort(),
      );
    }
    expect(c.ingresantes.every((r) => r.estado === 'ingresante' && r.legajo)).toBe(true);
    expect(c.preinscriptos.every((r) => r.estado === 'preinscripto' && r.legajo === null)).toBe(true);
  });

  it('contains the awkward records real exports have', () => {
    const c = generateCohort(cfg);
    const records = all(c);
    expect(records.some((r) => /^\d{1,3}(\.\d{3})+$/.test(r.dni))).toBe(true); // DNI with dots
    expect(records.some((r) => r.dni !== r.dni.trim())).toBe(true); // DNI with spaces
    expect(records.some((r) => r.email_personal === null)).toBe(true);
    expect(records.some((r) => r.email_personal === '')).toBe(true);
    expect(
      records.some(
        (r) =>
          r.email_personal !== null &&
          r.email_personal !== '' &&
          !/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(r.email_personal),
      ),
    ).toBe(true);
    expect(
      records.some((r) => /[A-Z]/.test(r.email_personal ?? '') && r.email_personal !== r.email_personal?.trim()),
    ).toBe(true);
    expect(records.some((r) => r.apellido.includes("'"))).toBe(true);
    expect(records.some((r) => /[ñÑ]/.test(r.apellido + r.nombre))).toBe(true);
    expect(records.some((r) => /[áéíóúÁÉÍÓÚ]/.test(r.apellido + r.nombre))).toBe(true);
    expect(records.some((r) => r.apellido.length + r.nombre.length > 80)).toBe(true);
    expect(records.some((r) => r.nombre !== r.nombre.trim() || r.apellido === r.apellido.toUpperCase())).toBe(true);
    // The same DNI twice within aspirantes, and the same DNI in two lists.
    const asp = c.aspirantes.map((r) => digits(r.dni));
    expect(new Set(asp).size).toBeLessThan(asp.length);
    const ing = new Set(c.ingresantes.map((r) => digits(r.dni)));
    expect(asp.some((d) => ing.has(d))).toBe(true);
  });

  it('changes some records from one revision to the next, and only some', () => {
    const r0 = generateCohort(cfg);
    const r1 = generateCohort({ ...cfg, revision: 1 });
    const key = (r: { dni: string }) => digits(r.dni);
    const before = new Map(all(r0).map((r) => [key(r) + r.estado, r]));
    const changed = all(r1).filter(
      (r) => JSON.stringify({ ...before.get(key(r) + r.estado), id: 0 }) !== JSON.stringify({ ...r, id: 0 }),
    );
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(10);
    expect(r1.preinscriptos.length).toBeGreaterThan(r0.preinscriptos.length - 1);
    expect(r1.ingresantes.length).toBe(r0.ingresantes.length + 1);
  });

  it('formats DNIs with thousands dots', () => {
    expect(withDots('45123456')).toBe('45.123.456');
    expect(withDots('7123456')).toBe('7.123.456');
  });

  it('produces a small or empty cohort without failing', () => {
    expect(all(generateCohort({ ...cfg, size: 0 }))).toEqual([]);
    expect(all(generateCohort({ ...cfg, size: 3 })).length).toBeGreaterThanOrEqual(3);
  });
});
