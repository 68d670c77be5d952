// What every failure event says about the failure, declared once: a reason an operator can read, an
// optional machine code, and whether retrying could help. Each *Fallido / *Fallida event spreads these fields.
import { z } from 'zod';

export const MOTIVO_MAX = 2000;
export const CODIGO_MAX = 200;

export const fallo = {
  motivo: z.string().min(1).max(MOTIVO_MAX),
  codigo: z.string().max(CODIGO_MAX).optional(),
  permanente: z.boolean(),
};
export const Fallo = z.object(fallo);
export type Fallo = z.infer<typeof Fallo>;

/** A reason as the contracts take it: never empty, at most 2,000 characters (a cut one ends in "..."). */
export function recortarMotivo(motivo: string): string {
  const s = motivo.trim() || 'unknown error';
  return s.length > MOTIVO_MAX ? `${s.slice(0, MOTIVO_MAX - 3)}...` : s;
}

/** A code as the contracts take it, or none. */
export const recortarCodigo = (codigo: unknown): string | undefined =>
  typeof codigo === 'string' && codigo ? codigo.slice(0, CODIGO_MAX) : undefined;
