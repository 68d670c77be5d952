// How fast Lucy may call each external API, per minute, all replicas together: a whole number from 1 up to
// what the API itself can take from one application. Above that the limiter would only let through calls
// the API throttles or cannot serve, so a higher value is refused rather than kept as a promise.
//   graph.rpm 48,000: Entra's identity-and-access limits give the largest tenant 8,000 resource units per
//     10 s per app and tenant (S 3,500 / M 5,000), and the cheapest request costs 1 (Microsoft Graph
//     "Identity and access service limits"; the sandbox's Graph enforces them, apps/sandbox/src/graph/throttle.ts).
//   graph.writeRpm 1,200: 3,000 writes per 2 min 30 s per app and tenant, whatever the tenant's size.
//   moodle.rpm 6,000 (100 per second): Moodle sets no web-service rate of its own; each call Lucy makes is a
//     PHP request that writes users and enrolments, and no institution's Moodle is sized for more of them.
//   smtp.rpm 1,000: a relay's allowance for one sender — Exchange Online 30 messages a minute per mailbox
//     (and 10,000 recipients a day), bulk relays from 14 a second (Amazon SES's starting rate, 840 a minute).
import { z } from 'zod';

export const TOPES_POR_MINUTO = {
  graph: { rpm: 48_000, writeRpm: 1_200 },
  moodle: { rpm: 6_000 },
  smtp: { rpm: 1_000 },
} as const;

/** Why each bound, as the operator reads it beside the field. */
const RAZON: Record<string, string> = {
  'graph.rpm': 'Entra admite a una aplicación hasta 8.000 unidades de recurso cada 10 s en el tenant más grande',
  'graph.writeRpm': 'Entra admite 3.000 escrituras cada 2 min 30 s por aplicación y tenant',
  'moodle.rpm': '100 por segundo: más de lo que un Moodle institucional atiende de altas y enrolamientos',
  'smtp.rpm': 'más de lo que un servidor de correo admite de un remitente: Exchange Online 30, Amazon SES desde 840',
};

/** Calls (or writes) per minute to `api`: a whole number from 1 to its bound, with the reason in the operator's words. */
export function porMinuto<A extends keyof typeof TOPES_POR_MINUTO>(
  api: A,
  campo: keyof (typeof TOPES_POR_MINUTO)[A] & string,
) {
  const tope = TOPES_POR_MINUTO[api][campo] as number;
  const que = campo === 'writeRpm' ? 'escrituras' : 'pedidos';
  return z
    .number()
    .int(`un número entero de ${que} por minuto`)
    .min(1, 'al menos 1 por minuto')
    .max(tope, `como mucho ${tope.toLocaleString('es-AR')} ${que} por minuto (${RAZON[`${api}.${campo}`]})`);
}

/** The bound of `api`'s `campo` (rpm, writeRpm), or undefined for an API without one. */
export function topePorMinuto(api: string, campo: 'rpm' | 'writeRpm'): number | undefined {
  return (TOPES_POR_MINUTO as Record<string, Record<string, number>>)[api]?.[campo];
}
