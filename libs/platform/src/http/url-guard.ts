// The request target, checked once before any route sees it: no longer than MAX_URL_LENGTH (414), ASCII
// on the wire, every %XX well formed and decoding to UTF-8, and no control characters (NUL, CR, LF...)
// once decoded — in the path and in each query key and value. What a router or a database would
// otherwise choke on deep inside (a 500) is refused here with the field it is in.
import { HttpException, HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { invalidInput, type FieldProblem } from './invalid-input.js';

/** Longer URLs are answered 414, as most servers and proxies do around 8 KiB. */
export const MAX_URL_LENGTH = 8 * 1024;

const CONTROL = /[\u0000-\u001f\u007f]/;

export function urlGuard(req: Request, _res: Response, next: NextFunction): void {
  const url = req.url;
  if (url.length > MAX_URL_LENGTH) {
    return next(
      new HttpException(
        `la URL tiene ${url.length} caracteres; el máximo es ${MAX_URL_LENGTH}: enviá filtros largos en menos parámetros`,
        HttpStatus.URI_TOO_LONG,
      ),
    );
  }
  const problems = urlProblems(url);
  next(problems.length ? invalidInput('URL', problems) : undefined);
}

export function urlProblems(url: string): FieldProblem[] {
  const q = url.indexOf('?');
  const out: FieldProblem[] = [];
  const path = check(q < 0 ? url : url.slice(0, q));
  if (path) out.push({ campo: 'ruta', mensaje: path });
  for (const pair of q < 0 ? [] : url.slice(q + 1).split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const message = check(key) ?? (eq < 0 ? undefined : check(pair.slice(eq + 1)));
    if (message) out.push({ campo: `consulta.${readable(key)}`.slice(0, 120), mensaje: message });
  }
  return out.slice(0, 20);
}

function check(raw: string): string | undefined {
  if (/[^\u0021-\u007e]/.test(raw))
    return 'tiene caracteres sin codificar: enviá cada byte que no sea ASCII visible como %XX (UTF-8)';
  let text: string;
  try {
    text = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return 'codificación %XX inválida o bytes que no son UTF-8';
  }
  if (CONTROL.test(text)) return 'contiene caracteres de control (NUL, CR, LF, ...)';
  return undefined;
}

function readable(key: string): string {
  try {
    return decodeURIComponent(key).replace(/[\u0000-\u001f\u007f]/g, '?');
  } catch {
    return key;
  }
}
