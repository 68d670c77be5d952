import { creadaDesde, creadaPorEsteOnboarding, puedeSerDemoraDeReplicacion, upnDefinitivo } from './cuenta.js';

const desde = '2027-02-01T10:00:00.000Z';

describe('whose account a found one is', () => {
  it('is this onboarding’s when Graph created it after the onboarding began and no credential was delivered', () => {
    expect(
      creadaPorEsteOnboarding({ estadoPrevio: null, creadaEn: '2027-02-01T10:00:05Z', onboardingDesde: desde }),
    ).toBe(true);
    expect(
      creadaPorEsteOnboarding({ estadoPrevio: 'fallida', creadaEn: '2027-02-01T10:03:00Z', onboardingDesde: desde }),
    ).toBe(true);
  });

  it('tolerates clocks that disagree by a minute', () => {
    expect(
      creadaPorEsteOnboarding({ estadoPrevio: null, creadaEn: '2027-02-01T09:59:00Z', onboardingDesde: desde }),
    ).toBe(true);
  });

  it('is someone else’s when older than the onboarding, unknown, or already delivered to the student', () => {
    expect(
      creadaPorEsteOnboarding({ estadoPrevio: null, creadaEn: '2026-03-01T00:00:00Z', onboardingDesde: desde }),
    ).toBe(false);
    expect(creadaPorEsteOnboarding({ estadoPrevio: null, creadaEn: null, onboardingDesde: desde })).toBe(false);
    expect(
      creadaPorEsteOnboarding({ estadoPrevio: 'activa', creadaEn: '2027-02-01T10:00:05Z', onboardingDesde: desde }),
    ).toBe(false);
  });
});

describe('whether the UPN in a row is the student’s for good', () => {
  it('is, once an account was delivered under it or is left in Graph', () => {
    for (const estado of ['activa', 'deshabilitada', 'eliminada'] as const)
      expect(upnDefinitivo({ estado, graphUserId: null })).toBe(true);
    expect(upnDefinitivo({ estado: 'fallida', graphUserId: 'left-behind' })).toBe(true);
  });

  it('is not while being reserved, or after a failure that left no account', () => {
    expect(upnDefinitivo({ estado: 'pendiente', graphUserId: null })).toBe(false);
    expect(upnDefinitivo({ estado: 'fallida', graphUserId: null })).toBe(false);
  });

  it('counts an account as made since a moment within the clocks’ disagreement, and an unknown date as not', () => {
    expect(creadaDesde('2027-02-01T09:59:00Z', desde)).toBe(true);
    expect(creadaDesde('2027-02-01T09:50:00Z', desde)).toBe(false);
    expect(creadaDesde(undefined, desde)).toBe(false);
  });
});

describe('replication lag', () => {
  const now = Date.parse('2027-02-01T10:00:00Z');
  it('may explain a 404 for an account we recorded alive moments ago, not for an old or deleted one', () => {
    expect(puedeSerDemoraDeReplicacion({ estado: 'activa', updatedAt: new Date(now - 10_000) }, now)).toBe(true);
    expect(puedeSerDemoraDeReplicacion({ estado: 'activa', updatedAt: new Date(now - 10 * 60_000) }, now)).toBe(false);
    expect(puedeSerDemoraDeReplicacion({ estado: 'eliminada', updatedAt: new Date(now - 10_000) }, now)).toBe(false);
    expect(puedeSerDemoraDeReplicacion(null, now)).toBe(false);
  });
});
