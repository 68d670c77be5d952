import { cleanParam, validateParam } from './moodle.params.js';
import { fixUtf8, phpStripTags } from './php-strip-tags.js';

// What PHP 8's strip_tags() returns for each input (ext/standard/string.c, php_strip_tags_ex).
const CASOS: [string, string][] = [
  ['Ana María', 'Ana María'],
  ["D'Angelo", "D'Angelo"],
  ['<script>alert(1)</script>Ana', 'alert(1)Ana'],
  ['<b>Ana</b> <i>Paz</i>', 'Ana Paz'],
  ['Ana <img src="x" onerror="alert(1)">', 'Ana '],
  ['<a title="1 > 0">Ana</a>', 'Ana'], // a quoted '>' does not end the tag
  ['1 < 2 y 3 > 2', '1 < 2 y 3 > 2'], // '<' before whitespace is no tag; a lone '>' stays
  ['Ana <Paz', 'Ana '], // an unclosed tag runs to the end
  ['Ana<', 'Ana'],
  ['a <3 b', 'a '],
  ['<<b>>Ana', 'Ana'], // a nested '<' needs its own '>'
  ['Ana<!-- oculto -->Paz', 'AnaPaz'],
  ['Ana<!DOCTYPE html>Paz', 'AnaPaz'],
  ['Ana<?php echo ">"; ?>Paz', 'AnaPaz'],
  ['Ana\0Paz', 'AnaPaz'],
];

describe('phpStripTags (PHP strip_tags, as PARAM_NOTAGS runs it)', () => {
  it.each(CASOS)('%j → %j', (entrada, salida) => {
    expect(phpStripTags(entrada)).toBe(salida);
  });

  it('is idempotent: what it keeps, it keeps again (so validate_param accepts a cleaned value)', () => {
    for (const [entrada] of CASOS) expect(phpStripTags(phpStripTags(entrada))).toBe(phpStripTags(entrada));
  });

  it('fix_utf8 drops NUL and what is not valid UTF-8 (lone surrogates), keeping pairs', () => {
    expect(fixUtf8('A\0n\uD800a 😀')).toBe('Ana 😀');
  });
});

describe('PARAM_NOTAGS in a web service (validate_param)', () => {
  const env = { auths: ['manual'], langs: ['en'], themes: ['boost'] };
  it('cleans a name with tags, and so refuses it as a parameter: Moodle does not store what it was not sent', () => {
    expect(cleanParam('<script>x</script>Ana', 'notags', env)).toBe('xAna');
    expect(() => validateParam('<script>x</script>Ana', 'notags', env, 'firstname')).toThrow(
      expect.objectContaining({ errorcode: 'invalidparameter' }),
    );
    expect(validateParam('xAna', 'notags', env, 'firstname')).toBe('xAna');
  });
});
