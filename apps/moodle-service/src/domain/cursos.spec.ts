import { cambioDeCursos, CursosConfigSchema, cursosPara, problemaCursos } from './cursos.js';

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
