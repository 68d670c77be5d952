// The account's life as this service records it, and the rules that decide what a found account means.
import type { AlumnoDatos } from '@lucy/contracts';

/**
 * pendiente: being provisioned (exists only inside the transaction that provisions it);
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
export function creadaPorEsteOnboarding(a: { estadoPrevio: EstadoCuenta | null; creadaEn: string | null | undefined; onboardingDesde: string }): boolean {
  if (a.estadoPrevio === 'activa' || a.estadoPrevio === 'deshabilitada') return false;
  if (!a.creadaEn) return false;
  return Date.parse(a.creadaEn) >= Date.parse(a.onboardingDesde) - TOLERANCIA_RELOJ_MS;
}

/** A 404 for an account we recorded as alive moments ago may be lag, not absence. */
export function puedeSerDemoraDeReplicacion(cuenta: { estado: EstadoCuenta; updatedAt: Date } | null, ahora = Date.now()): boolean {
  if (!cuenta || (cuenta.estado !== 'activa' && cuenta.estado !== 'deshabilitada')) return false;
  return ahora - cuenta.updatedAt.getTime() < DEMORA_REPLICACION_MS;
}

/** The name shown in Teams and the address book. */
export const nombreVisible = (alumno: Pick<AlumnoDatos, 'nombre' | 'apellido'>): string => `${alumno.nombre.trim()} ${alumno.apellido.trim()}`.slice(0, 256);
