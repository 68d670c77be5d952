import { mkdtempSync, rmSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTls } from './ca.js';

describe('ensureTls', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lucy-sandbox-tls-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names only the loopback addresses unless told other host names', async () => {
    const leaf = new X509Certificate((await ensureTls(dir)).cert);
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('sandbox')).toBeUndefined();
  });

  it('signs the leaf again, with the same CA, when a host name it must serve is missing', async () => {
    const first = await ensureTls(dir);
    const again = await ensureTls(dir, ['sandbox']);
    expect(again.ca).toBe(first.ca);
    expect(again.cert).not.toBe(first.cert);
    const leaf = new X509Certificate(again.cert);
    expect(leaf.checkHost('sandbox')).toBe('sandbox');
    expect(leaf.checkIssued(new X509Certificate(again.ca))).toBe(true);
    // Named already: kept as it is across restarts.
    expect((await ensureTls(dir, ['sandbox'])).cert).toBe(again.cert);
  }, 30_000);
});
