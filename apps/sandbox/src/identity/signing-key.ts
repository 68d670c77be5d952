// The RSA key the identity stand-in signs access tokens with. Kept in the state folder so tokens issued
// before a restart still verify after it (as Entra's keys outlive any one token).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as published at jwks_uri. */
  jwk: Record<string, unknown>;
}

export function loadSigningKey(stateDir: string): SigningKey {
  const dir = join(stateDir, 'identity');
  const file = join(dir, 'signing-key.pem');
  let pem: string;
  if (existsSync(file)) pem = readFileSync(file, 'utf8');
  else {
    mkdirSync(dir, { recursive: true });
    pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    writeFileSync(file, pem, { mode: 0o600 });
  }
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const pub = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  // Entra's kid/x5t is the base64url SHA-1 thumbprint of the signing certificate; a thumbprint of the
  // public key serves the same purpose (a stable, unique key id).
  const kid = createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
  return { kid, privateKey, publicKey, jwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, n: pub.n, e: pub.e } };
}
