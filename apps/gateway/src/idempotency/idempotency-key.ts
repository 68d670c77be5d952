// The Idempotency-Key request header (IETF httpapi draft "The Idempotency-Key HTTP Header Field",
// draft-ietf-httpapi-idempotency-key-header, section 2.1): an RFC 8941 Structured Field whose value is an
// sf-string, e.g. `Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"`. Leniency: a bare token
// (the same characters without the quotes, and without spaces, quotes or backslashes) is taken too,
// since many clients send a UUID as it is. Parameters (`;a=1`) and lists are refused: a key is one string.

/** Longest key accepted: the draft sets none; 255 leaves room for any UUID or ULID scheme and bounds the index. */
export const IDEMPOTENCY_KEY_MAX = 255;

export class InvalidIdempotencyKey extends Error {}

// RFC 8941 §3.3.3: sf-string = DQUOTE *( unescaped / "\" ( DQUOTE / "\" ) ) DQUOTE, with
// unescaped = %x20-21 / %x23-5B / %x5D-7E (printable ASCII).
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;
const BARE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** The key a header value carries, or InvalidIdempotencyKey saying what is wrong with it (a 400). */
export function parseIdempotencyKey(header: string | string[]): string {
  if (Array.isArray(header))
    throw new InvalidIdempotencyKey('hay más de un encabezado Idempotency-Key: enviá uno solo');
  // RFC 8941 §4.2: leading and trailing spaces are discarded.
  const raw = header.replace(/^ +| +$/g, '');
  let key: string;
  const quoted = SF_STRING.exec(raw);
  if (quoted) key = quoted[1]!.replace(/\\(["\\])/g, '$1');
  else if (raw.startsWith('"'))
    throw new InvalidIdempotencyKey(
      'Idempotency-Key no es un sf-string válido: solo caracteres ASCII imprimibles entre comillas, con \\" y \\\\ como escapes',
    );
  else if (BARE.test(raw)) key = raw;
  else
    throw new InvalidIdempotencyKey(
      'Idempotency-Key debe ser un sf-string (p. ej. "8e03978e-40d5-43e8-bc93-6894a57f9324") de caracteres ASCII imprimibles',
    );
  if (!key.length) throw new InvalidIdempotencyKey('Idempotency-Key está vacía');
  if (key.length > IDEMPOTENCY_KEY_MAX)
    throw new InvalidIdempotencyKey(
      `Idempotency-Key tiene ${key.length} caracteres; el máximo es ${IDEMPOTENCY_KEY_MAX}`,
    );
  return key;
}
