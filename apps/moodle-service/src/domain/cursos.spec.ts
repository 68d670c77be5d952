import { CursosConfigSchema, cursosPara, problemaCursos } from './cursos.js';

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
    expect(CursosConfigSchema.safeParse({ egresado: { '*': ['X'] } }).success).toBe(false);
    expect(CursosConfigSchema.safeParse({ ingresante: { '2027': 'ING' } }).success).toBe(false);
  });
});

describe('problemaCursos', () => {
  it('accepts a map the schema takes', () => {
    expect(problemaCursos({ ingresante: { '*': ['ING-2027-INTRO'] } })).toBeUndefined();
  });

  it('names an unknown estado and a blank shortname', () => {
    expect(problemaCursos({ egresado: { '*': ['X'] } })).toContain('egresado');
    expect(problemaCursos({ ingresante: { '2027': ['  '] } })).toMatch(/ingresante\.2027\.0/);
  });
});
