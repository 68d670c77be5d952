// Request pieces several resources share: ids, pagination, date ranges. Query values arrive as strings.
import { z } from 'zod';
import { textProblem } from '@lucy/platform';

export const Id = z.uuid({ error: 'debe ser un UUID' });

/** Text a client typed: refused with the reason when it holds NUL or a lone surrogate (PostgreSQL and UTF-8 cannot keep them). */
export const Texto = z.string().superRefine((s, ctx) => {
  const problema = textProblem(s);
  if (problema) ctx.addIssue({ code: 'custom', message: problema });
});

const entero = (min: number, max: number, def: number) =>
  z.coerce
    .number({ error: 'debe ser un número' })
    .int({ error: 'debe ser un entero' })
    .min(min, { error: `mínimo ${min}` })
    .max(max, { error: `máximo ${max}` })
    .default(def);

export const Paginacion = {
  limit: entero(1, 200, 50).describe('cuántos (1-200)'),
  offset: entero(0, 1_000_000, 0).describe('cuántos saltear'),
};

/** `2027-02-01` or a full ISO date-time, that exists: Date.parse takes 2026-02-30 as March 2, PostgreSQL refuses it. */
const FECHA = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

export function esFechaReal(s: string): boolean {
  const m = FECHA.exec(s);
  if (!m) return false;
  const [anio, mes, dia, hora = 0, min = 0, seg = 0] = m
    .slice(1, 7)
    .map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const diasDelMes = new Date(Date.UTC(anio!, mes!, 0)).getUTCDate(); // day 0 of the next month
  const offsetOk = m[8] === undefined || (Number(m[8]) <= 14 && Number(m[9]) <= 59);
  return (
    anio! >= 1 &&
    mes! >= 1 &&
    mes! <= 12 &&
    dia! >= 1 &&
    dia! <= diasDelMes &&
    hora <= 23 &&
    min <= 59 &&
    seg <= 59 &&
    offsetOk
  );
}

export const Fecha = z
  .string()
  .max(40)
  .refine(esFechaReal, { error: 'debe ser una fecha que exista, en ISO 8601 (2027-02-01 o 2027-02-01T10:00:00Z)' });

export const RangoFechas = {
  desde: Fecha.optional().describe('desde esta fecha (inclusive)'),
  hasta: Fecha.optional().describe('hasta esta fecha (exclusive)'),
};

export interface Pagina<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

/** A response schema for a page of `item`. */
export const paginaDe = <T extends z.ZodType>(item: T) =>
  z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(item) });

/** Escapes LIKE's wildcards in free text typed by a user. */
export const patronLike = (texto: string) => `%${texto.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Adds a condition and its parameter to a query under construction. */
export class Filtros {
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
