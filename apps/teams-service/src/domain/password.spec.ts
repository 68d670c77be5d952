import { ALFABETO, AMBIGUOS, CLASES, clasesUsadas, entropiaBits, generarPasswordTemporal } from './password.js';

const SAMPLES = 20_000;

describe('temporary password policy', () => {
  const samples = Array.from({ length: SAMPLES }, () => generarPasswordTemporal());

  it('is 16 characters by default and never shorter than 12', () => {
    expect(samples.every((p) => p.length === 16)).toBe(true);
    expect(generarPasswordTemporal(12)).toHaveLength(12);
    expect(() => generarPasswordTemporal(11)).toThrow(/at least 12/);
  });

  it('always uses all four character classes (Entra asks for three)', () => {
    expect(samples.every((p) => clasesUsadas(p) === 4)).toBe(true);
    expect(clasesUsadas('abcdefgh')).toBe(1);
  });

  it('never contains a character a student could misread (0/O/o, 1/l/I/i), nor quotes, spaces or backslashes', () => {
    for (const c of AMBIGUOS + `'"\` \\`) expect(ALFABETO).not.toContain(c);
    expect(samples.every((p) => [...p].every((c) => ALFABETO.includes(c)))).toBe(true);
  });

  it('has at least 80 bits of entropy at the minimum length', () => {
    expect(entropiaBits(12)).toBeGreaterThan(70);
    expect(entropiaBits(16)).toBeGreaterThan(80);
  });

  it('draws every character of the alphabet at every position with about equal frequency', () => {
    const counts = new Map<string, number>();
    for (const p of samples) for (const c of p) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(ALFABETO.length);
    // Chars of small classes are a little more frequent (one of each class is guaranteed): allow ±60%.
    const mean = (SAMPLES * 16) / ALFABETO.length;
    for (const n of counts.values()) expect(Math.abs(n - mean) / mean).toBeLessThan(0.6);
    // The guaranteed characters are shuffled: the first position is not always lower case.
    const firstClasses = new Set(samples.map((p) => Object.entries(CLASES).find(([, set]) => set.includes(p[0]))![0]));
    expect(firstClasses.size).toBe(4);
  });

  it('does not repeat itself', () => {
    expect(new Set(samples).size).toBe(SAMPLES);
  });
});
