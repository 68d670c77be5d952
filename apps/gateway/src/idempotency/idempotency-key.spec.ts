import { IDEMPOTENCY_KEY_MAX, InvalidIdempotencyKey, parseIdempotencyKey } from './idempotency-key.js';

describe('parseIdempotencyKey', () => {
  it("reads the draft's form, an sf-string, with its escapes and the spaces around it", () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('  "a b"  ')).toBe('a b');
    expect(parseIdempotencyKey('"say \\"hi\\" \\\\o/"')).toBe('say "hi" \\o/');
  });

  it('takes a bare token as well (leniency), but not one with spaces, quotes or backslashes', () => {
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    for (const bad of ['a b', 'a"b', 'a\\b']) expect(() => parseIdempotencyKey(bad)).toThrow(InvalidIdempotencyKey);
  });

  it.each([
    ['empty', ''],
    ['an empty sf-string', '""'],
    ['only spaces', '   '],
    ['a NUL', '"a\u0000b"'],
    ['a tab', '"a\tb"'],
    ['a control character', 'a\u0007b'],
    ['a non-ASCII character', '"clave-ñ"'],
    ['a lone surrogate', '"a\ud800"'],
    ['an unknown escape', '"a\\nb"'],
    ['an unterminated string', '"abc'],
    ['a list of two keys', '"a", "b"'],
    ['a parameter', '"a";p=1'],
    ['too long', `"${'k'.repeat(IDEMPOTENCY_KEY_MAX + 1)}"`],
    ['a bare token too long', 'k'.repeat(IDEMPOTENCY_KEY_MAX + 1)],
  ])('refuses %s, saying why', (_what, value) => {
    expect(() => parseIdempotencyKey(value)).toThrow(InvalidIdempotencyKey);
  });

  it(`accepts ${IDEMPOTENCY_KEY_MAX} characters`, () => {
    expect(parseIdempotencyKey(`"${'k'.repeat(IDEMPOTENCY_KEY_MAX)}"`)).toHaveLength(IDEMPOTENCY_KEY_MAX);
  });

  it('refuses the header sent twice (Node keeps both)', () => {
    expect(() => parseIdempotencyKey(['"a"', '"a"'])).toThrow(/más de un/);
  });
});
