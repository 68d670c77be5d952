// How a field is cleaned before it is compared or stored: names keep their accents, ñ, apostrophes and
// case (an operator reads them as typed), only stray whitespace goes; emails are case-insensitive in
// practice, so they are kept lower-case; an empty value is no value.
import { z } from 'zod';
import { emailExcedido, esSalida, ESTADOS_ALUMNO, type EstadoAlumno } from '@lucy/contracts';

/** Trim, collapse inner whitespace, NFC (so "Á" typed two ways compares equal); '' → null. */
export function normalizarTexto(valor: unknown): string | null {
  if (valor === null || valor === undefined) return null;
  const limpio = String(valor).normalize('NFC').replace(/\s+/g, ' ').trim();
  return limpio === '' ? null : limpio;
}

/** Lower-case and trimmed; '' → null. Validity is checked apart (emailValido). */
export function normalizarEmail(valor: unknown): string | null {
  const t = normalizarTexto(valor);
  return t === null ? null : t.toLowerCase();
}

// The same checks the contract applies (AlumnoDatos uses EmailAlumno), so a row we accept is never refused
// when its event is published.
const email = z.email();

/** Why `valor` is not an address a student can be mailed at, or null when it is. */
export function motivoEmail(valor: string): string | null {
  if (!email.safeParse(valor).success) return `"${valor.length > 80 ? `${valor.slice(0, 80)}…` : valor}"`;
  return emailExcedido(valor);
}
export const emailValido = (valor: string): boolean => motivoEmail(valor) === null;

const SIN_ACENTOS = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** "Ingresante", "ingresantes", " PREINSCRIPTO " → the domain's estado; anything else → null. */
export function leerEstado(valor: unknown): EstadoAlumno | null {
  const t = normalizarTexto(valor);
  if (t === null) return null;
  const k = SIN_ACENTOS(t).toLowerCase();
  const singular = k.endsWith('s') ? k.slice(0, -1) : k;
  return (ESTADOS_ALUMNO as readonly string[]).includes(singular) ? (singular as EstadoAlumno) : null;
}

/**
 * The estado to keep when one student is listed under several: SIAL leaves a student in their old list
 * for a while, so the later step is the newer fact — a leaving estado (baja, egresado) over any other,
 * then "ingresante" over the earlier ones. Between aspirante and preinscripto, or baja and egresado,
 * neither is known to come after the other: null, and the rows conflict.
 */
export function estadoPrevalente(estados: readonly EstadoAlumno[]): EstadoAlumno | null {
  const distintos = new Set(estados);
  if (distintos.size === 1) return estados[0]!;
  const salidas = [...distintos].filter(esSalida);
  if (salidas.length > 0) return salidas.length === 1 ? salidas[0]! : null;
  if (distintos.has('ingresante')) return 'ingresante';
  return null;
}
