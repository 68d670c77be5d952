// Request pieces several resources share: ids, pagination, date ranges. Query values arrive as strings.
import { z } from 'zod';

export const Id = z.uuid({ error: 'debe ser un UUID' });

const entero = (min: number, max: number, def: number) =>
  z.coerce.number({ error: 'debe ser un número' }).int({ error: 'debe ser un entero' }).min(min, { error: `mínimo ${min}` }).max(max, { error: `máximo ${max}` }).default(def);

export const Paginacion = {
  limit: entero(1, 200, 50).describe('cuántos (1-200)'),
  offset: entero(0, 1_000_000, 0).describe('cuántos saltear'),
};

/** `2027-02-01` or a full ISO date-time. */
const fecha = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), { error: 'debe ser una fecha ISO (2027-02-01 o 2027-02-01T10:00:00Z)' });

export const RangoFechas = {
  desde: fecha.optional().describe('desde esta fecha (inclusive)'),
  hasta: fecha.optional().describe('hasta esta fecha (exclusive)'),
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
