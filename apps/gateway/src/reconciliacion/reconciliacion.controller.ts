import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { SISTEMAS_RECONCILIACION, TIPOS_DIFERENCIA } from '@lucy/contracts';
import { BEARER } from '../api/docs.setup.js';
import { Id, pageOf, Pagination } from '../api/schemas.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { ReconciliacionConsultas } from './reconciliacion.consultas.js';
import { ReconciliacionService } from './reconciliacion.service.js';
import { ESTADOS_RECONCILIACION } from './reconciliacion.repository.js';

const booleano = (campo: string) => z.boolean({ error: `${campo} es true o false` });

const Inicio = z
  .object({
    reparar: booleano('reparar').describe('true: once every system answered, the repair starts by itself'),
    simular: booleano('simular')
      .optional()
      .describe('true with reparar: only what the repair would do (POST /{id}/reparar starts it later)'),
  })
  .strict();
const Reparacion = z
  .object({ simular: booleano('simular').optional().describe('true: only which workflow each student would get') })
  .strict();
const Detalle = z
  .object({
    tipo: z.enum(TIPOS_DIFERENCIA).optional(),
    sistema: z.enum(SISTEMAS_RECONCILIACION).optional(),
    ...Pagination,
  })
  .strict();
const Lista = z.object(Pagination).strict();

const SistemaSchema = z.object({
  estado: z.enum(['pendiente', 'terminada', 'fallida']),
  partes: z.number().int().optional(),
  diferencias: z.number().int().optional(),
  revisados: z.number().int().optional(),
  completa: z.boolean().optional(),
  motivo: z.string().optional(),
});
const Resumen = z.object({
  id: z.uuid(),
  estado: z.enum(ESTADOS_RECONCILIACION),
  actor: z.string(),
  reparar: z.boolean(),
  simular: z.boolean(),
  alumnos: z.number().int().describe('students compared'),
  sistemas: z.record(z.string(), SistemaSchema),
  diferencias: z.number().int(),
  error: z.string().nullable(),
  reparacion: z.enum(['pendiente', 'iniciada']).nullable(),
  inicio: z.string(),
  fin: z.string().nullable(),
});
const ItemSchema = z.object({
  alumno: z.uuid().nullable(),
  sistema: z.enum(SISTEMAS_RECONCILIACION),
  tipo: z.enum(TIPOS_DIFERENCIA),
  referencia: z.string(),
  esperado: z.string().nullable(),
  encontrado: z.string().nullable(),
  campos: z.array(z.string()).optional(),
  curso: z.string().optional(),
  workflowId: z.uuid().nullable().describe('the repair workflow started for it'),
});
const DetalleSchema = Resumen.extend({
  porTipo: z.record(z.string(), z.number().int()),
  items: pageOf(ItemSchema),
  resultadoReparacion: z.record(z.string(), z.unknown()).nullable(),
});
const AlumnoReparado = z.object({
  alumnoId: z.uuid(),
  workflow: z.literal('reparacion'),
  pasos: z.array(z.string()),
  reparar: z
    .array(z.string())
    .describe('the kinds it repairs; one both systems report, found in Moodle, as moodle:<kind>'),
  cursos: z.array(z.string()),
  items: z.array(z.string()).describe('the differences it repairs (their keys in the run)'),
  iniciado: z.boolean().optional(),
  workflowId: z.uuid().optional(),
  motivo: z.string().optional(),
});
const ReparacionSchema = z.object({
  id: z.uuid(),
  simulacion: z.boolean(),
  iniciados: z.number().int(),
  rechazados: z.number().int(),
  yaIniciados: z.number().int().describe('students whose repair an earlier request for this run started'),
  alumnos: z.array(AlumnoReparado),
  sinReparar: z.array(
    z.object({
      alumnoId: z.uuid().nullable(),
      sistema: z.enum(SISTEMAS_RECONCILIACION),
      tipo: z.enum(TIPOS_DIFERENCIA),
      referencia: z.string(),
      motivo: z.string(),
    }),
  ),
});

@ApiTags('reconciliaciones')
@ApiBearerAuth(BEARER)
@Controller('api/v1/reconciliaciones')
export class ReconciliacionController {
  constructor(
    private readonly reconciliaciones: ReconciliacionService,
    private readonly consultas: ReconciliacionConsultas,
  ) {}

  @Post()
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Compare Lucy’s registry with Entra and Moodle; the answer is the run to follow',
    description:
      'Every settled student: the account exists, is enabled (or disabled, while suspended) and licensed, its profile is the student’s; the Moodle user exists, is active (or suspended, while suspended) and keeps the profile Lucy gave it, and the enrolments Lucy made exist. Orphans (users in the students’ UPN domain, enrolments in Lucy’s courses that Lucy did not make) are reported, never touched. Nothing changes unless reparar is true.',
  })
  @ApiAcceptedResponse({ standardSchema: z.object({ id: z.uuid() }) })
  iniciar(@Body({ schema: Inicio }) body: z.infer<typeof Inicio>, @Actor() actor: string) {
    return this.reconciliaciones.iniciar(actor, body);
  }

  @Get()
  @ApiOperation({ summary: 'Reconciliation runs, newest first' })
  @ApiOkResponse({ standardSchema: pageOf(Resumen) })
  listar(@Query({ schema: Lista }) q: z.infer<typeof Lista>) {
    return this.consultas.listar(q.limit, q.offset);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run: its state, the differences in total and per kind, and the differences (paged)' })
  @ApiOkResponse({ standardSchema: DetalleSchema })
  async una(@Param('id', { schema: Id }) id: string, @Query({ schema: Detalle }) q: z.infer<typeof Detalle>) {
    const r = await this.consultas.una(id, q);
    if (!r) throw new NotFoundException(`no hay una reconciliación ${id}`);
    return r;
  }

  @Post(':id/reparar')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Repair what a finished run found: one lifecycle workflow (reparacion) per student; simular: only the plan',
    description:
      'The account recreated or restored (gone for good: onboarding again), enabled, licensed, disabled again for a suspended student, its profile written again; the Moodle user made again, its suspension lifted (or put back for a suspended student), its profile written again; the missing enrolments made again. Orphans and a mail Exchange set are never touched. Each difference records the workflow that repairs it: asked again, the repair goes on with the differences no workflow repairs yet, and never starts a second one for a difference.',
  })
  @ApiAcceptedResponse({ standardSchema: ReparacionSchema })
  reparar(
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: Reparacion }) body: z.infer<typeof Reparacion>,
    @Actor() actor: string,
  ) {
    return this.reconciliaciones.reparar(id, actor, body.simular ?? false);
  }
}
