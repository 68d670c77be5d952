import { randomBytes } from 'node:crypto';
import { parseSecretKeys, SecretBox } from './sealed-secret.js';

const key = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  it('seals a password so that the clear text appears nowhere in the sealed value, and opens it back', () => {
    const box = new SecretBox(parseSecretKeys(key()));
    const sealed = box.seal('Kp7#wqZ2mRtx', 'alumno-1');
    expect(JSON.stringify(sealed)).not.toContain('Kp7#wqZ2mRtx');
    expect(box.open(sealed, 'alumno-1')).toBe('Kp7#wqZ2mRtx');
  });

  it('refuses to open a value sealed for another student, or tampered with', () => {
    const box = new SecretBox(parseSecretKeys(key()));
    const sealed = box.seal('Kp7#wqZ2mRtx', 'alumno-1');
    expect(() => box.open(sealed, 'alumno-2')).toThrow();
    const ct = Buffer.from(sealed.ct, 'base64url');
    ct[0] ^= 1;
    expect(() => box.open({ ...sealed, ct: ct.toString('base64url') }, 'alumno-1')).toThrow();
  });

  it('opens with a previous key after rotation, and names a missing key', () => {
    const [oldKey, newKey] = [key(), key()];
    const sealed = new SecretBox(parseSecretKeys(`k1:${oldKey}`)).seal('x', 'a');
    expect(new SecretBox(parseSecretKeys(`k2:${newKey},k1:${oldKey}`)).open(sealed, 'a')).toBe('x');
    expect(() => new SecretBox(parseSecretKeys(`k2:${newKey}`)).open(sealed, 'a')).toThrow(/k1/);
  });

  it('rejects a key of the wrong size', () => {
    expect(() => parseSecretKeys(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
