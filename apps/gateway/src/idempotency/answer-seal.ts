// A stored answer's body is sealed (AES-256-GCM, libs/platform's SecretBox) with a key derived from the
// caller's bearer token, which the database does not hold (only its SHA-256): the table never shows an
// answer in clear, not even POST /tokens' new token. A replay comes with the same token, so it can open it.
import { hkdfSync } from 'node:crypto';
import type { SealedSecret } from '@lucy/contracts';
import { SecretBox } from '@lucy/platform';

const boxFor = (bearer: string, tokenId: string) =>
  new SecretBox([
    { kid: 'bearer', key: Buffer.from(hkdfSync('sha256', bearer, tokenId, 'lucy idempotency answer', 32)) },
  ]);

/** Bound to the row (token and key): a sealed body moved to another key does not open. */
const context = (tokenId: string, key: string) => `${tokenId}\n${key}`;

export function sealAnswer(body: Buffer, bearer: string, tokenId: string, key: string): SealedSecret {
  return boxFor(bearer, tokenId).seal(body.toString('base64'), context(tokenId, key));
}

/** The body, or undefined when it cannot be opened (the token's secret changed: ADMIN_TOKEN replaced). */
export function openAnswer(sealed: SealedSecret, bearer: string, tokenId: string, key: string): Buffer | undefined {
  try {
    return Buffer.from(boxFor(bearer, tokenId).open(sealed, context(tokenId, key)), 'base64');
  } catch {
    return undefined;
  }
}
