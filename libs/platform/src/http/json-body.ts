// Limits of a JSON body beyond its size: UTF-8 (RFC 8259), nesting no deeper than MAX_JSON_DEPTH, and no
// text — value or key — holding NUL or a lone UTF-16 surrogate. Depth is checked on the raw bytes
// before parsing (code that walks a 5 000-deep value recursively overflows the stack: a 500); the
// text after, on the parsed value.
import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { isUtf8 } from 'node:buffer';
import { invalidInput, textProblem, type FieldProblem } from './invalid-input.js';

/** Deeper than any body Lucy takes (a configuration is 4 levels) and far from any stack limit. */
export const MAX_JSON_DEPTH = 32;

/** body-parser's `verify`: runs on the raw bytes, before JSON.parse. */
export function verifyJson(_req: unknown, _res: unknown, buf: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8' && encoding.toLowerCase() !== 'utf8')
    throw new UnsupportedMediaTypeException(`el JSON va en UTF-8 (llegó charset=${encoding})`);
  if (!isUtf8(buf)) throw invalidInput('cuerpo', [{ campo: 'cuerpo', mensaje: 'tiene bytes que no son UTF-8' }]);
  const depth = jsonDepth(buf);
  if (depth > MAX_JSON_DEPTH)
    throw invalidInput('cuerpo', [{ campo: 'cuerpo', mensaje: `anida más de ${MAX_JSON_DEPTH} niveles de [ ] o { }` }]);
}

/** The deepest nesting of arrays and objects in JSON text (strings skipped), in one pass. */
export function jsonDepth(buf: Buffer): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === 0x5c)
        i++; // \ escapes the next byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      // [ {
      if (++depth > max) max = depth;
      if (max > MAX_JSON_DEPTH) return max;
    } else if (c === 0x5d || c === 0x7d) depth--; // ] }
  }
  return max;
}

/** After the JSON parser: every key and string value, at any depth (bounded above). */
export function jsonTextGuard(req: Request, _res: Response, next: NextFunction): void {
  if (req.body === undefined || !req.is(['application/json', 'application/*+json'])) return next();
  const problems = invalidTexts(req.body);
  next(problems.length ? invalidInput('cuerpo', problems) : undefined);
}

export function invalidTexts(value: unknown, path: string[] = [], out: FieldProblem[] = []): FieldProblem[] {
  if (out.length >= 20) return out;
  const field = () => path.join('.') || 'cuerpo';
  if (typeof value === 'string') {
    const message = textProblem(value);
    if (message) out.push({ campo: field(), mensaje: message });
  } else if (Array.isArray(value)) value.forEach((v, i) => invalidTexts(v, [...path, String(i)], out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const message = textProblem(k);
      if (message) out.push({ campo: field(), mensaje: `una clave ${message}` });
      else invalidTexts(v, [...path, k], out);
    }
  }
  return out;
}
