// A local certificate authority for the HTTPS stand-ins. Graph clients (MSAL, axios, the Graph SDKs)
// refuse plain HTTP authorities and self-signed leaf certificates, so the sandbox mints one CA on first
// start and signs a leaf for 127.0.0.1 / localhost / ::1 with it, plus the host names other machines reach
// it by (SANDBOX_TLS_NAMES: `sandbox` on the compose network), since TLS checks the name the client dialled.
// Clients trust the CA by loading ca.pem (NODE_EXTRA_CA_CERTS, an https.Agent `ca`, or
// tls.setDefaultCACertificates in tests).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  caFile: string;
  ca: string;
  cert: string;
  key: string;
}

const DAY = 86_400_000;

/**
 * Loads `${stateDir}/tls/{ca,cert,key}.pem`, creating them when missing or expiring within a day; the leaf
 * is signed again (by the same CA) when it does not name every one of `dnsNames`.
 */
export async function ensureTls(stateDir: string, dnsNames: readonly string[] = []): Promise<TlsMaterial> {
  const dir = join(stateDir, 'tls');
  const files = {
    ca: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    cert: join(dir, 'cert.pem'),
    key: join(dir, 'key.pem'),
  };
  if (
    Object.values(files).every((f) => existsSync(f)) &&
    stillValid(readFileSync(files.cert, 'utf8')) &&
    namesAll(readFileSync(files.cert, 'utf8'), dnsNames)
  ) {
    return {
      caFile: files.ca,
      ca: readFileSync(files.ca, 'utf8'),
      cert: readFileSync(files.cert, 'utf8'),
      key: readFileSync(files.key, 'utf8'),
    };
  }
  mkdirSync(dir, { recursive: true });
  const now = new Date(Date.now() - 60_000);
  // A unique name per CA: TLS finds the issuer by subject name, so two trusted sandbox CAs with the same
  // name (two state folders, parallel test suites) would make one's certificates fail verification.
  const ca =
    existsSync(files.ca) && existsSync(files.caKey) && stillValid(readFileSync(files.ca, 'utf8'))
      ? { cert: readFileSync(files.ca, 'utf8'), private: readFileSync(files.caKey, 'utf8') }
      : await generate([{ name: 'commonName', value: `Lucy sandbox local CA ${randomBytes(4).toString('hex')}` }], {
          algorithm: 'sha256',
          keySize: 2048,
          notBeforeDate: now,
          notAfterDate: new Date(now.getTime() + 3650 * DAY),
          extensions: [
            { name: 'basicConstraints', cA: true, critical: true },
            { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
          ],
        });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate: now,
    // 397 days: the longest validity TLS clients accept for a leaf certificate.
    notAfterDate: new Date(now.getTime() + 397 * DAY),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '::1' },
          ...dnsNames.map((value) => ({ type: 2 as const, value })),
        ],
      },
    ],
  });
  writeFileSync(files.caKey, ca.private, { mode: 0o600 });
  writeFileSync(files.ca, ca.cert);
  writeFileSync(files.key, leaf.private, { mode: 0o600 });
  writeFileSync(files.cert, leaf.cert);
  return { caFile: files.ca, ca: ca.cert, cert: leaf.cert, key: leaf.private };
}

function namesAll(pem: string, dnsNames: readonly string[]): boolean {
  const cert = new X509Certificate(pem);
  return dnsNames.every((name) => cert.checkHost(name) !== undefined);
}

function stillValid(pem: string): boolean {
  try {
    return new Date(new X509Certificate(pem).validTo).getTime() > Date.now() + DAY;
  } catch {
    return false;
  }
}
