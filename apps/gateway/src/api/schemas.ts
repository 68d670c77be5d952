// Request pieces several resources share: ids, pagination, date ranges. Query values arrive as strings.
import { z } from 'zod';
import { textProblem } from '@lucy/platform';

export const Id = z.uuid({ error: 'debe ser un UUID' });

/** Text a client typed: refused with the reason when it holds NUL or a lone surrogate (PostgreSQL and UTF-8 cannot keep them). */
export const UserText = z.string().superRefine((s, ctx) => {
  const problem = textProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const integer = (min: number, max: number, def: number) =>
  z.coerce
    .number({ error: 'debe ser un número' })
    .int({ error: 'debe ser un entero' })
    .min(min, { error: `mínimo ${min}` })
    .max(max, { error: `máximo ${max}` })
    .default(def);

export const Pagination = {
  limit: integer(1, 200, 50).describe('cuántos (1-200)'),
  offset: integer(0, 1_000_000, 0).describe('cuántos saltear'),
};

/** `2027-02-01` or a full ISO date-time, that exists: Date.parse takes 2026-02-30 as March 2, PostgreSQL refuses it. */
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

export function isRealDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [year, month, day, hour = 0, min = 0, sec = 0] = m
    .slice(1, 7)
    .map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate(); // day 0 of the next month
  const offsetOk = m[8] === undefined || (Number(m[8]) <= 14 && Number(m[9]) <= 59);
  return (
    year! >= 1 &&
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour <= 23 &&
    min <= 59 &&
    sec <= 59 &&
    offsetOk
  );
}

export const IsoDate = z
  .string()
  .max(40)
  .refine(isRealDate, { error: 'debe ser una fecha que exista, en ISO 8601 (2027-02-01 o 2027-02-01T10:00:00Z)' });

export const DateRange = {
  desde: IsoDate.optional().describe('desde esta fecha (inclusive)'),
  hasta: IsoDate.optional().describe('hasta esta fecha (exclusive)'),
};

export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

/** A response schema for a page of `item`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(item) });

/** Escapes LIKE's wildcards in free text typed by a user. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Adds a condition and its parameter to a query under construction. */
export class WhereClause {
  readonly where: string[] = [];
  readonly params: unknown[] = [];

  add(sql: (p: string) => string, value: unknown): this {
    if (value === undefined || value === null || value === '') return this;
    this.params.push(value);
    this.where.push(sql(`$${this.params.length}`));
    return this;
  }

  raw(sql: string): this {
    this.where.push(sql);
    return this;
  }

  get sql(): string {
    return this.where.length ? `WHERE ${this.where.join(' AND ')}` : '';
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}
