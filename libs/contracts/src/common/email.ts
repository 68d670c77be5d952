// A student's address as mail can carry it: well formed (z.email) and within SMTP's limits, RFC 5321
// §4.5.3.1.1 (a local part of at most 64 octets) and §4.5.3.1.3 (a path of at most 256 octets, angle
// brackets included: 254 for the address, RFC 3696 erratum 1690). A longer one is refused by relays, so it
// is refused at intake, with the reason, rather than failing later at the credentials email.
import { z } from 'zod';

export const EMAIL_LOCAL_MAX = 64;
export const EMAIL_MAX = 254;

/** Why `email` is over SMTP's limits, in the operator's words, or null when it is within them. */
export function emailExcedido(email: string): string | null {
  const local = email.slice(0, Math.max(0, email.lastIndexOf('@')));
  if (local.length > EMAIL_LOCAL_MAX)
    return `la parte antes de la @ tiene ${local.length} caracteres (máximo ${EMAIL_LOCAL_MAX}, RFC 5321)`;
  if (email.length > EMAIL_MAX) return `tiene ${email.length} caracteres (máximo ${EMAIL_MAX}, RFC 5321)`;
  return null;
}

export const EmailAlumno = z.email().refine((e) => emailExcedido(e) === null, {
  error: (i) => emailExcedido(String(i.input)) ?? 'email demasiado largo',
});
