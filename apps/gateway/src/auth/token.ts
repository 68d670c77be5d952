// API tokens: 32 random bytes, shown once, stored as their SHA-256.
//
// Why SHA-256 and not bcrypt/argon2: those are slow on purpose to protect low-entropy secrets (passwords
// people choose) from guessing. A token of 256 random bits cannot be guessed whatever the hash's speed,
// so a fast, unsalted hash loses nothing — and it lets a request find its token by an indexed equality
// lookup, instead of paying ~100 ms of bcrypt on every call and comparing against every stored hash.
import { createHash, randomBytes } from 'node:crypto';

export const PREFIJO = 'lucy_';

export const nuevoToken = (): string => `${PREFIJO}${randomBytes(32).toString('base64url')}`;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function tokenDe(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(header);
  return m?.[1];
}
