// Request validation for the API: a zod schema per body or parameter; a failure is a 400 whose message
// names each bad field (rendered as application/problem+json by the exception filter).
import type { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';
import { invalidInput } from '@lucy/platform';

export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw problemasDe(r.error, what);
}

/** A 400 listing each issue as { campo, mensaje }, as SchemaPipe's. */
export function problemasDe(error: z.ZodError, what: string): BadRequestException {
  return invalidInput(
    what,
    error.issues.slice(0, 20).map((i) => ({ campo: i.path.map(String).join('.') || what, mensaje: i.message })),
  );
}
