// Sealing a temporary password for the one service that must read it (mail-service). AES-256-GCM with a
// key that only teams-service and mail-service hold (CREDENTIALS_KEY or CREDENTIALS_KEY_FILE). The key id
// travels with the ciphertext so keys can be rotated: a reader may hold the previous key as well.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SealedSecret } from '@lucy/contracts';

export interface SecretKey {
  kid: string;
  key: Buffer;
}

/** Parses "base64-of-32-bytes" (kid derived from the key) or "kid:base64"; several separated by commas. */
export function parseSecretKeys(spec: string): SecretKey[] {
  const keys = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const [kid, b64] = part.includes(':') ? part.split(':', 2) : [undefined, part];
      const key = Buffer.from(b64, 'base64');
      if (key.length !== 32)
        throw new Error('a credentials key must be 32 bytes, base64-encoded (openssl rand -base64 32)');
      return { kid: kid ?? createHash('sha256').update(key).digest('hex').slice(0, 8), key };
    });
  if (keys.length === 0) throw new Error('no credentials key given');
  return keys;
}

const b64url = (b: Buffer) => b.toString('base64url');

/** The first key seals; every key can open. */
export class SecretBox {
  constructor(private readonly keys: SecretKey[]) {
    if (keys.length === 0) throw new Error('SecretBox needs at least one key');
  }

  /** `context` (e.g. the alumnoId) is bound as additional data: a sealed value moved to another student fails to open. */
  seal(plaintext: string, context: string): SealedSecret {
    const { kid, key } = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { alg: 'A256GCM', kid, iv: b64url(iv), tag: b64url(cipher.getAuthTag()), ct: b64url(ct) };
  }

  open(sealed: SealedSecret, context: string): string {
    const k = this.keys.find((x) => x.kid === sealed.kid);
    if (!k) throw new Error(`no credentials key with id ${sealed.kid}`);
    const decipher = createDecipheriv('aes-256-gcm', k.key, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/**
 * The key teams-service and mail-service fall back to when CREDENTIALS_KEY is unset and every endpoint
 * is the local sandbox, so the whole system runs on one machine with no setup. It protects nothing,
 * and both services refuse it as soon as a real Graph or SMTP relay is configured.
 */
export const SANDBOX_DEV_CREDENTIALS_KEY = `dev-sandbox:${createHash('sha256').update('lucy sandbox credentials key (never for real students)').digest('base64')}`;
