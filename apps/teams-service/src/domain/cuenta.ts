// The account's life as this service records it, and the rules that decide what a found account means.

/**
 * pendiente: an onboarding under way, or interrupted before it recorded an account (its UPN reserved);
 * activa: created or found, licensed, credential issued; deshabilitada / eliminada: by command;
 * fallida: provisioning gave up (the reason is kept; the Graph id when an account was left behind).
 */
export const ESTADOS_CUENTA = ['pendiente', 'activa', 'deshabilitada', 'eliminada', 'fallida'] as const;
export type EstadoCuenta = (typeof ESTADOS_CUENTA)[number];

/** Clocks of the ingest host and of Microsoft differ; an account created this close before the event still counts as ours. */
export const TOLERANCIA_RELOJ_MS = 2 * 60_000;

/** How long after we wrote an account a 404 for it may still be Entra's replication lag rather than absence. */
export const DEMORA_REPLICACION_MS = 2 * 60_000;

/**
 * Was the account found by UPN created by this very onboarding (an earlier attempt that crashed or
 * failed transiently after Graph's create, before our commit)? Then it is not "existente", and it may
 * be deleted again if it cannot be licensed. It is, when no credential was delivered for it yet
 * and Graph created it after the onboarding began. An account delivered before, or older than the
 * event, belongs to someone else's decision: we reuse it but never delete it.
 */
export function creadaPorEsteOnboarding(a: {
  estadoPrevio: EstadoCuenta | null;
  creadaEn: string | null | undefined;
  onboardingDesde: string;
}): boolean {
  if (a.estadoPrevio === 'activa' || a.estadoPrevio === 'deshabilitada') return false;
  return creadaDesde(a.creadaEn, a.onboardingDesde);
}

/** Did Graph create the account at or after this moment (within the clocks' disagreement)? Unknown: no. */
export function creadaDesde(creadaEn: string | null | undefined, desde: string): boolean {
  return !!creadaEn && Date.parse(creadaEn) >= Date.parse(desde) - TOLERANCIA_RELOJ_MS;
}

/**
 * Is the UPN in the student's row theirs for good? Yes once an account was delivered under it or is
 * left in Graph: a pattern changed since must not give them a second one. A row being reserved, or one
 * that failed leaving no account, holds only a name, and an onboarding takes the pattern in force (say
 * after an operator fixed the domain that made it fail).
 */
export const upnDefinitivo = (c: { estado: EstadoCuenta; graphUserId: string | null }): boolean =>
  c.estado !== 'pendiente' && !(c.estado === 'fallida' && c.graphUserId === null);

/** A 404 for an account we recorded as alive moments ago may be lag, not absence. */
export function puedeSerDemoraDeReplicacion(
  cuenta: { estado: EstadoCuenta; updatedAt: Date } | null,
  ahora = Date.now(),
): boolean {
  if (!cuenta || (cuenta.estado !== 'activa' && cuenta.estado !== 'deshabilitada')) return false;
  return ahora - cuenta.updatedAt.getTime() < DEMORA_REPLICACION_MS;
}
