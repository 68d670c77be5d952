import { z } from 'zod';
import { Id } from '../api/schemas.js';
import { AlumnoFiltro } from '../alumnos/alumno-filtro.js';
import { ACCIONES } from './acciones.service.js';

export const AccionSchema = z.enum(ACCIONES, { error: `la acción debe ser una de ${ACCIONES.join(', ')}` });

/** A bulk action: the students by id, or by the filters of GET /alumnos (not both). */
export const AccionMasiva = z
  .object({
    accion: AccionSchema,
    alumnoIds: z.array(Id).min(1).max(20_000).optional(),
    filtro: AlumnoFiltro.strict().optional(),
    motivo: z.string().max(500).optional().describe('why, for the tarea'),
  })
  .strict()
  .refine((b) => (b.alumnoIds ? 1 : 0) + (b.filtro ? 1 : 0) === 1, {
    error: 'indicá alumnoIds o filtro (uno de los dos)',
  });
export type AccionMasiva = z.infer<typeof AccionMasiva>;

export const ResultadoSchema = z.object({
  alumnoId: z.uuid(),
  accion: AccionSchema,
  iniciado: z.boolean(),
  workflowId: z.uuid().optional(),
  comandos: z.array(z.string()).optional(),
  estado: z.string().optional(),
  nota: z.string().optional(),
  motivo: z.string().optional(),
});

export const EjecucionSchema = z.object({
  tareaId: z.uuid().nullable(),
  total: z.number().int(),
  iniciados: z.number().int(),
  rechazados: z.number().int(),
  resultados: z.array(ResultadoSchema),
});
