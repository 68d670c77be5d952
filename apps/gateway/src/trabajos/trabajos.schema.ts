// A job's settings as the API accepts and shows them. Each field is checked as the scheduler will use it:
// the cron by croner with the minimum interval (scheduler/cron.ts), the zone as the configuration's
// zonaHoraria is, dates that exist.
import { z } from 'zod';
import { isRealDate, UserText } from '../api/schemas.js';
import { problemaDeZona } from '../configuracion/configuracion.schema.js';
import { problemaDeCron } from '../scheduler/cron.js';

export const Fecha = z.string().superRefine((s, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) ctx.addIssue({ code: 'custom', message: 'debe ser una fecha AAAA-MM-DD' });
  else if (!isRealDate(s)) ctx.addIssue({ code: 'custom', message: 'esa fecha no existe' });
});

export const CambioTrabajo = z
  .object({
    activo: z.boolean().optional(),
    cron: z
      .string()
      .max(120)
      .superRefine((c, ctx) => {
        const problema = problemaDeCron(c);
        if (problema) ctx.addIssue({ code: 'custom', message: problema });
      })
      .optional(),
    zonaHoraria: z
      .string()
      .max(64)
      .superRefine((tz, ctx) => {
        const problema = problemaDeZona(tz);
        if (problema) ctx.addIssue({ code: 'custom', message: problema });
      })
      .nullable()
      .optional()
      .describe('IANA zone its cron and dates are read in; null: the configuration’s zonaHoraria'),
    validDesde: Fecha.nullable().optional().describe('first day it runs (in its zone); null: no limit'),
    validHasta: Fecha.nullable().optional().describe('last day it runs (in its zone); null: no limit'),
    saltarFeriados: z.boolean().optional().describe('skip holidays and recesses of the academic calendar'),
    motivo: UserText.pipe(z.string().max(500)).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.validDesde && c.validHasta && c.validDesde > c.validHasta)
      ctx.addIssue({ code: 'custom', path: ['validHasta'], message: 'es anterior a validDesde' });
  });
export type CambioTrabajo = z.infer<typeof CambioTrabajo>;

export const NombreTrabajo = z.string().max(60);

const Producto = z.object({ tipo: z.string(), id: z.string() });

export const EjecucionApi = z.object({
  id: z.uuid(),
  trabajo: z.string(),
  programadaPara: z.string().nullable().describe('the scheduled time (UTC); null for a manual run'),
  disparo: z.enum(['programada', 'recuperacion', 'manual']),
  actor: z.string(),
  resultado: z.enum(['en_curso', 'ok', 'fallido', 'omitido']),
  motivo: z.enum(['feriado', 'fuera de vigencia']).nullable().describe('why an omitido run did not run'),
  feriado: z.string().nullable().describe('the holiday or recess it fell on'),
  error: z.string().nullable(),
  producto: Producto.nullable().describe('what it made: {tipo: "lote", id}, …'),
  inicio: z.string().nullable(),
  fin: z.string().nullable(),
  cron: z.string(),
  zonaHoraria: z.string(),
  replica: z.string(),
});

export const TrabajoApi = z.object({
  nombre: z.string(),
  descripcion: z.string(),
  activo: z.boolean(),
  cron: z.string(),
  zonaHoraria: z.string(),
  zonaPropia: z.boolean().describe('false: it follows the configuration’s zonaHoraria'),
  validDesde: z.string().nullable(),
  validHasta: z.string().nullable(),
  saltarFeriados: z.boolean(),
  origen: z
    .enum(['configuracion.sincronizacion', 'trabajo'])
    .describe('where activo and cron are stored: the SIAL job keeps them in the configuration'),
  version: z.number().int(),
  vigenteDesdeAt: z.string().nullable(),
  actualizadoPor: z.string().nullable(),
  estado: z.enum(['programado', 'inactivo', 'invalido', 'sin_accion', 'fuera_de_vigencia']),
  problema: z.string().nullable(),
  conAccion: z.boolean().describe('a module provides what it does (false: shown, never run)'),
  proximas: z
    .array(
      z.object({
        at: z.string(),
        local: z.string().describe('in the job’s zone'),
        omitida: z
          .object({ motivo: z.enum(['feriado', 'fuera de vigencia']), nombre: z.string().nullable() })
          .nullable()
          .describe('why this time will not run'),
      }),
    )
    .describe('the next scheduled times, holidays and validity applied; empty when inactive'),
  ultima: EjecucionApi.nullable(),
  links: z.object({ self: z.string(), ejecutar: z.string() }),
});
