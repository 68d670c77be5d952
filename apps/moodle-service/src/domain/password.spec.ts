import { generarPassword, LONGITUD_PASSWORD } from './password.js';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('generarPassword', () => {
  it('meets a strict Moodle password policy every time', () => {
    for (let i = 0; i < 500; i++) {
      const p = generarPassword();
      expect(p).toHaveLength(LONGITUD_PASSWORD);
      expect(count(p, /\p{Nd}/gu)).toBeGreaterThanOrEqual(4);
      expect(count(p, /\p{Ll}/gu)).toBeGreaterThanOrEqual(4);
      expect(count(p, /\p{Lu}/gu)).toBeGreaterThanOrEqual(4);
      expect(count(p, /[^\p{Lu}\p{Ll}\p{Nd}]/gu)).toBeGreaterThanOrEqual(4);
      expect(/(.)\1/.test(p)).toBe(false);
    }
  });

  it('differs from one call to the next', () => {
    expect(new Set(Array.from({ length: 50 }, generarPassword)).size).toBe(50);
  });
});
