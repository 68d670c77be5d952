// Request validation for the API: a zod schema per body or parameter; a failure is a 400 whose message
// names each bad field (rendered as application/problem+json by the exception filter).
import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const detail = r.error.issues.map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`).join('; ');
  throw new BadRequestException(`${what} no válido: ${detail}`);
}
