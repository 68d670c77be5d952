import { cambianLosCursos, mismosCursos } from '@lucy/contracts';
import { cambioDeCursos, CursosConfigSchema, cursosDelAlumno, cursosPara, problemaCursos } from './cursos.js';

const config = CursosConfigSchema.parse({
  ingresante: { '2027': ['ING-2027-INTRO', 'ING-2027-MATE'], '2028': ['ING-2028-INTRO'] },
  aspirante: { '*': ['ING-AMBIENTACION'] },
  preinscripto: { '2027': ['PRE-2027', 'COMUN'], '*': ['COMUN', 'BIENVENIDA'] },
});

describe('cursosPara', () => {
  it('gives the courses of the exact period for the estado', () => {
    expect(cursosPara(config, 'ingresante', '2027')).toEqual(['ING-2027-INTRO', 'ING-2027-MATE']);
    expect(cursosPara(config, 'ingresante', '2028')).toEqual(['ING-2028-INTRO']);
  });

  it('applies "*" to any period', () => {
    expect(cursosPara(config, 'aspirante', '2027')).toEqual(['ING-AMBIENTACION']);
    expect(cursosPara(config, 'aspirante', '2031-2C')).toEqual(['ING-AMBIENTACION']);
  });

  it('adds the "*" courses to the period’s own, once each', () => {
    expect(cursosPara(config, 'preinscripto', '2027')).toEqual(['PRE-2027', 'COMUN', 'BIENVENIDA']);
  });

  it('gives nothing for a period or an estado that has no courses configured', () => {
    expect(cursosPara(config, 'ingresante', '2030')).toEqual([]);
    expect(cursosPara(CursosConfigSchema.parse({}), 'ingresante', '2027')).toEqual([]);
  });

  it('refuses a configuration keyed by an unknown estado', () => {
    expect(CursosConfigSchema.safeParse({ graduado: { '*': ['X'] } }).success).toBe(false);
    expect(CursosConfigSchema.safeParse({ ingresante: { '2027': 'ING' } }).success).toBe(false);
  });
});

describe('problemaCursos', () => {
  it('accepts a map the schema takes', () => {
    expect(problemaCursos({ ingresante: { '*': ['ING-2027-INTRO'] } })).toBeUndefined();
  });

  it('names an unknown estado and a blank shortname', () => {
    expect(problemaCursos({ graduado: { '*': ['X'] } })).toContain('graduado');
    expect(problemaCursos({ ingresante: { '2027': ['  '] } })).toMatch(/ingresante\.2027\.0/);
  });
});

describe('cambioDeCursos', () => {
  const pre = { estado: 'preinscripto', periodo: '2027' } as const;
  const ing = { estado: 'ingresante', periodo: '2027' } as const;

  it('gives the new estado’s courses, and the previous ones it does not list to leave when they are unenrolled', () => {
    expect(cambioDeCursos(config, pre, ing, 'desenrolar')).toEqual({
      nuevos: ['ING-2027-INTRO', 'ING-2027-MATE'],
      aQuitar: ['PRE-2027', 'COMUN', 'BIENVENIDA'],
    });
    // A course both list stays: only the new period changes here, and "*" is in both.
    expect(cambioDeCursos(config, pre, { ...pre, periodo: '2028' }, 'desenrolar')).toEqual({
      nuevos: ['COMUN', 'BIENVENIDA'],
      aQuitar: ['PRE-2027'],
    });
  });

  it('leaves nothing to unenrol when the previous courses are kept', () => {
    expect(cambioDeCursos(config, pre, ing, 'conservar')).toEqual({
      nuevos: ['ING-2027-INTRO', 'ING-2027-MATE'],
      aQuitar: [],
    });
  });

  it('unenrols every previous course for an estado with none configured', () => {
    expect(cambioDeCursos(config, ing, { estado: 'preinscripto', periodo: '2029' }, 'desenrolar')).toEqual({
      nuevos: ['COMUN', 'BIENVENIDA'],
      aQuitar: ['ING-2027-INTRO', 'ING-2027-MATE'],
    });
    expect(cambioDeCursos(config, ing, { estado: 'aspirante', periodo: '2027' }, 'desenrolar').aQuitar).toEqual([
      'ING-2027-INTRO',
      'ING-2027-MATE',
    ]);
  });

  it('unenrols nothing from a student leaving, whatever the key: their leave suspends them instead', () => {
    for (const estado of ['baja', 'egresado'] as const)
      expect(cambioDeCursos(config, ing, { estado, periodo: '2027' }, 'desenrolar')).toEqual({
        nuevos: [],
        aQuitar: [],
      });
  });
});

describe("the source's courses (cursosFuente)", () => {
  const ing = { estado: 'ingresante', periodo: '2027' } as const;

  it("adds the source's courses to the configuration's, without repeats; none for a student leaving", () => {
    expect(cursosDelAlumno(config, { ...ing, cursosFuente: ['DER-CIVIL', 'ING-2027-MATE'] })).toEqual([
      'ING-2027-INTRO',
      'ING-2027-MATE',
      'DER-CIVIL',
    ]);
    expect(cursosDelAlumno(config, ing)).toEqual(cursosPara(config, 'ingresante', '2027'));
    expect(cursosDelAlumno(config, { estado: 'baja', periodo: '2027', cursosFuente: ['DER-CIVIL'] })).toEqual([]);
  });

  it('a new list from the source: its new courses enrolled, the ones it dropped unenrolled only when the key says so', () => {
    const antes = { ...ing, cursosFuente: ['DER-CIVIL', 'DER-ROMANO'] };
    const despues = { ...ing, cursosFuente: ['DER-CIVIL', 'DER-PENAL'] };
    expect(cambioDeCursos(config, antes, despues, 'desenrolar')).toEqual({
      nuevos: ['ING-2027-INTRO', 'ING-2027-MATE', 'DER-CIVIL', 'DER-PENAL'],
      aQuitar: ['DER-ROMANO'],
    });
    expect(cambioDeCursos(config, antes, despues, 'conservar').aQuitar).toEqual([]);
    // A course the configuration still gives stays, even when the source no longer lists it.
    expect(
      cambioDeCursos(config, { ...ing, cursosFuente: ['ING-2027-MATE'] }, { ...ing, cursosFuente: [] }, 'desenrolar')
        .aQuitar,
    ).toEqual([]);
  });

  it('compares the lists as sets: order and repeats are no change, absent is none', () => {
    expect(mismosCursos(['B', 'A'], ['A', 'B', 'A'])).toBe(true);
    expect(mismosCursos(undefined, [])).toBe(true);
    expect(mismosCursos(['A'], ['A', 'B'])).toBe(false);
    expect(cambianLosCursos({ ...ing, cursosFuente: ['A', 'B'] }, { ...ing, cursosFuente: ['B', 'A'] })).toBe(false);
    expect(cambianLosCursos({ ...ing, cursosFuente: ['A'] }, { ...ing })).toBe(true);
    expect(cambianLosCursos(ing, { ...ing, periodo: '2028' })).toBe(true);
  });
});
