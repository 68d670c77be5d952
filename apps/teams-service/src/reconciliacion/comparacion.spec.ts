import type { AlumnoEsperado } from '@lucy/contracts';
import { compararEntra, type UsuarioEntra } from './comparacion.js';
import { aplicarRonda } from './espejo.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const alumno = {
  dni: '40123456',
  nombre: 'Ana',
  apellido: 'Díaz',
  emailPersonal: 'ana@example.com',
  emailInstitucional: null,
  carrera: 'Contador Público',
  estado: 'ingresante' as const,
  periodo: '2027',
};
const esperado = (over: Partial<AlumnoEsperado> = {}): AlumnoEsperado => ({
  alumnoId: A,
  upn: 'a40123456@est.edu',
  alumno,
  cuenta: 'habilitada',
  ...over,
});
const usuario = (over: Partial<UsuarioEntra> = {}): UsuarioEntra => ({
  id: 'g-1',
  upn: 'a40123456@est.edu',
  accountEnabled: true,
  licencias: ['sku'],
  displayName: 'Ana Díaz',
  givenName: 'Ana',
  surname: 'Díaz',
  department: 'Contador Público',
  employeeId: '40123456',
  mail: null,
  ...over,
});
const cuentas = [{ alumnoId: A, upn: 'a40123456@est.edu', graphUserId: 'g-1' }];
const comparar = (usuarios: UsuarioEntra[], e: AlumnoEsperado[] = [esperado()]) =>
  compararEntra({ esperados: e, cuentas, usuarios, dominio: 'est.edu' });

describe('compararEntra', () => {
  it('finds nothing when Entra holds what the registry expects', () => {
    expect(comparar([usuario()])).toEqual([]);
  });

  it('cuenta_faltante: the account is not among the live users', () => {
    expect(comparar([])).toEqual([
      {
        alumnoId: A,
        tipo: 'cuenta_faltante',
        referencia: 'a40123456@est.edu',
        esperado: 'a40123456@est.edu',
        encontrado: null,
      },
    ]);
  });

  it('finds the account by the id the registry kept, even under another UPN', () => {
    expect(comparar([usuario({ upn: 'otro@est.edu' })])).toEqual([]);
  });

  it('cuenta_deshabilitada and cuenta_habilitada: accountEnabled against the state the student requires', () => {
    expect(comparar([usuario({ accountEnabled: false })]).map((d) => d.tipo)).toEqual(['cuenta_deshabilitada']);
    expect(comparar([usuario()], [esperado({ cuenta: 'deshabilitada' })]).map((d) => d.tipo)).toEqual([
      'cuenta_habilitada',
    ]);
    expect(comparar([usuario({ accountEnabled: false })], [esperado({ cuenta: 'deshabilitada' })])).toEqual([]);
  });

  it('licencia_faltante: an account with no licence', () => {
    expect(comparar([usuario({ licencias: [] })]).map((d) => d.tipo)).toEqual(['licencia_faltante']);
  });

  it('datos_distintos: names each property that differs, a missing one (null) included', () => {
    const [d] = comparar([usuario({ surname: 'Diaz', department: null })]);
    expect(d).toMatchObject({
      tipo: 'datos_distintos',
      campos: ['surname', 'department'],
      esperado: 'surname=Díaz; department=Contador Público',
      encontrado: 'surname=Diaz; department=(vacío)',
    });
  });

  it('datos_distintos: a mail that is not the UPN; none (no mailbox yet) is no difference', () => {
    expect(comparar([usuario({ mail: 'A40123456@EST.EDU' })])).toEqual([]);
    expect(comparar([usuario({ mail: 'ana@otro.edu' })])[0]).toMatchObject({
      tipo: 'datos_distintos',
      campos: ['mail'],
    });
  });

  it('huerfano: a user in the students domain no cuenta row names; other domains and Lucy’s own are not', () => {
    const diffs = comparar([
      usuario(),
      usuario({ id: 'g-2', upn: 'intruso@est.edu', displayName: 'Intruso' }),
      usuario({ id: 'g-3', upn: 'staff@facultad.edu' }),
    ]);
    expect(diffs).toEqual([
      { alumnoId: null, tipo: 'huerfano', referencia: 'intruso@est.edu', esperado: null, encontrado: 'Intruso (g-2)' },
    ]);
  });

  it('a student Lucy deleted on purpose (not expected) is neither missing nor an orphan', () => {
    const diffs = compararEntra({
      esperados: [],
      cuentas: [...cuentas, { alumnoId: B, upn: 'a30111222@est.edu', graphUserId: 'g-9' }],
      usuarios: [usuario({ id: 'g-9', upn: 'a30111222@est.edu', accountEnabled: false })],
      dominio: 'est.edu',
    });
    expect(diffs).toEqual([]);
  });
});

describe('aplicarRonda', () => {
  const graph = (id: string, over: Record<string, unknown> = {}) => ({
    id,
    userPrincipalName: `${id}@est.edu`,
    accountEnabled: true,
    assignedLicenses: [{ skuId: 'sku' }],
    ...over,
  });

  it('a full round replaces the mirror: a user it does not list is gone', () => {
    const espejo = aplicarRonda([], { users: [graph('x'), graph('y')], removed: [], full: true });
    expect(aplicarRonda(espejo, { users: [graph('y')], removed: [], full: true }).map((u) => u.id)).toEqual(['y']);
  });

  it('an incremental round lays changed users over the mirror, whole (a property left out is null), and drops the removed', () => {
    const espejo = aplicarRonda([], {
      users: [graph('x', { department: 'Eco' }), graph('y')],
      removed: [],
      full: true,
    });
    const despues = aplicarRonda(espejo, {
      users: [graph('x', { accountEnabled: false })],
      removed: [{ id: 'y', reason: 'changed' }],
      full: false,
    });
    expect(despues).toEqual([expect.objectContaining({ id: 'x', accountEnabled: false, department: null })]);
  });
});
