// How a users/delta round changes the mirror, pure: a full round replaces it (a user it does not list does
// not exist), an incremental one lays each user listed over its row — whole, since a property Graph leaves
// out was never set (null) — and drops the users removed (in deleted items or gone for good: neither signs in).
import type { GraphUser, UsersDeltaRound } from '../graph/graph.client.js';
import type { UsuarioEntra } from './comparacion.js';

export function usuarioDe(u: GraphUser): UsuarioEntra {
  return {
    id: u.id,
    upn: u.userPrincipalName,
    accountEnabled: u.accountEnabled ?? null,
    licencias: (u.assignedLicenses ?? []).map((l) => l.skuId),
    displayName: u.displayName ?? null,
    givenName: u.givenName ?? null,
    surname: u.surname ?? null,
    department: u.department ?? null,
    employeeId: u.employeeId ?? null,
    mail: u.mail ?? null,
  };
}

export function aplicarRonda(
  espejo: readonly UsuarioEntra[],
  ronda: Omit<UsersDeltaRound, 'deltaLink'>,
): UsuarioEntra[] {
  const porId = new Map(ronda.full ? [] : espejo.map((u) => [u.id, u]));
  for (const r of ronda.removed) porId.delete(r.id);
  for (const u of ronda.users) porId.set(u.id, usuarioDe(u));
  return [...porId.values()];
}
