// What a guard below refuses, as the gateway's problem+json lists it: one { campo, mensaje } per field.
// Thrown as Nest's HttpException so any service's exception filter renders it (the gateway's as RFC 9457).
import { BadRequestException } from '@nestjs/common';

export interface FieldProblem {
  campo: string;
  mensaje: string;
}

export function invalidInput(where: string, problems: FieldProblem[]): BadRequestException {
  return new BadRequestException({
    message: `${where} no válido: ${problems.map((p) => `${p.campo}: ${p.mensaje}`).join('; ')}`,
    problemas: problems,
  });
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (String#isWellFormed). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a text may not be stored or passed on, or undefined: PostgreSQL refuses NUL, and a lone surrogate has no UTF-8. */
export function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contiene un carácter NUL (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'contiene un sustituto UTF-16 sin pareja (no es Unicode válido)';
  return undefined;
}
