// The temporary password a new account gets. Entra requires 8–256 characters from 3 of the 4 classes;
// we give 12 or more with all 4, from a cryptographic generator, without the characters a student
// copying it from an email confuses (0/O/o, 1/l/I/i) and without quotes, spaces or backslashes that
// templates or mail clients could mangle.
import { randomInt } from 'node:crypto';

export const CLASES = {
  minusculas: 'abcdefghjkmnpqrstuvwxyz',
  mayusculas: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digitos: '23456789',
  simbolos: '!#$%*+-=?@',
} as const;

export const ALFABETO = Object.values(CLASES).join('');
export const AMBIGUOS = '0Oo1lIi';
export const LONGITUD_MINIMA = 12;

const elegir = (set: string): string => set[randomInt(set.length)];

/** A fresh temporary password of `longitud` characters with at least one of every class. */
export function generarPasswordTemporal(longitud = 16): string {
  if (!Number.isInteger(longitud) || longitud < LONGITUD_MINIMA)
    throw new Error(`a temporary password needs at least ${LONGITUD_MINIMA} characters`);
  const chars = Object.values(CLASES).map(elegir);
  while (chars.length < longitud) chars.push(elegir(ALFABETO));
  // Fisher–Yates with the same generator, so the guaranteed characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** How many of the four classes a password uses (Entra wants 3). */
export function clasesUsadas(password: string): number {
  return Object.values(CLASES).filter((set) => [...password].some((c) => set.includes(c))).length;
}

/** Bits of entropy of a password of `longitud` drawn from the alphabet (a lower bound ignores the class rule's small loss). */
export const entropiaBits = (longitud: number): number => longitud * Math.log2(ALFABETO.length);
