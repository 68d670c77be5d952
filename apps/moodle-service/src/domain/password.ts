// A password for a user created with MOODLE_AUTH=manual. Moodle refuses one that fails the site's
// policy (check_password_policy in lib/moodlelib.php: length, digits, lower, upper, non-alphanumeric,
// at most N consecutive identical characters). This one passes the policies sites commonly set: 24
// characters, at least 4 of each class, no character twice in a row. It is sent once, in the
// create call, and kept nowhere: never logged, never stored, never published.
import { randomInt } from 'node:crypto';

const CLASES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '*-#!?%+=_.'] as const;
export const LONGITUD_PASSWORD = 24;
const POR_CLASE = 4;

const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)];

export function generarPassword(): string {
  for (;;) {
    const chars = CLASES.flatMap((c) => Array.from({ length: POR_CLASE }, () => pick(c)));
    const todas = CLASES.join('');
    while (chars.length < LONGITUD_PASSWORD) chars.push(pick(todas));
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    if (chars.every((c, i) => i === 0 || c !== chars[i - 1])) return chars.join('');
  }
}
