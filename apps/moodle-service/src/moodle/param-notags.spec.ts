import { paramNotags } from './param-notags.js';

// What Moodle's clean_param(PARAM_NOTAGS) returns (fix_utf8 + PHP 8's strip_tags), the same table as the
// sandbox's stand-in (apps/sandbox/src/moodle/php-strip-tags.spec.ts).
const CASOS: [string, string][] = [
  ['Ana María', 'Ana María'],
  ["D'Angelo", "D'Angelo"],
  ['<script>alert(1)</script>Ana', 'alert(1)Ana'],
  ['<b>Ana</b> <i>Paz</i>', 'Ana Paz'],
  ['Ana <img src="x" onerror="alert(1)">', 'Ana '],
  ['<a title="1 > 0">Ana</a>', 'Ana'],
  ['1 < 2 y 3 > 2', '1 < 2 y 3 > 2'],
  ['Ana <Paz', 'Ana '],
  ['Ana<', 'Ana'],
  ['a <3 b', 'a '],
  ['<<b>>Ana', 'Ana'],
  ['Ana<!-- oculto -->Paz', 'AnaPaz'],
  ['Ana<!DOCTYPE html>Paz', 'AnaPaz'],
  ['Ana<?php echo ">"; ?>Paz', 'AnaPaz'],
  ['Ana\0Paz', 'AnaPaz'],
  ['A\uD800na 😀', 'Ana 😀'],
];

describe('paramNotags (clean_param PARAM_NOTAGS)', () => {
  it.each(CASOS)('%j → %j', (entrada, salida) => {
    expect(paramNotags(entrada)).toBe(salida);
    expect(paramNotags(salida)).toBe(salida);
  });
});
