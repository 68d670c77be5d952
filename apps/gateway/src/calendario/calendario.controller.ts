import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BEARER } from '../api/docs.setup.js';
import { Id, UserText } from '../api/schemas.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { Fecha } from '../trabajos/trabajos.schema.js';
import { CalendarioService } from './calendario.service.js';

const PeriodoNuevo = z
  .object({
    desde: Fecha.describe('first day (AAAA-MM-DD)'),
    hasta: Fecha.optional().describe('last day, included; absent: the same day'),
    nombre: UserText.pipe(z.string().trim().min(1, { error: 'falta el nombre' }).max(200)),
    tipo: z.enum(['feriado', 'receso'], { error: 'debe ser feriado o receso' }).default('feriado'),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.hasta && p.hasta < p.desde) ctx.addIssue({ code: 'custom', path: ['hasta'], message: 'es anterior a desde' });
  })
  .transform((p) => ({ ...p, hasta: p.hasta ?? p.desde }));

const Periodo = z.object({
  id: z.uuid(),
  desde: z.string(),
  hasta: z.string(),
  nombre: z.string(),
  tipo: z.enum(['feriado', 'receso']),
  creadoPor: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const Anio = z
  .object({ anio: z.coerce.number({ error: 'debe ser un año' }).int().min(1900).max(2200).optional() })
  .strict();

const Importacion = z
  .object({
    formato: z.enum(['csv', 'ics'], { error: 'debe ser csv o ics' }),
    contenido: z.string().min(1, { error: 'el archivo está vacío' }).max(1_000_000, { error: 'máximo 1 MB' }),
    reemplazar: z
      .boolean()
      .default(false)
      .describe('empty the years the file covers first: the file becomes those years’ calendar'),
  })
  .strict();

@ApiTags('calendario')
@ApiBearerAuth(BEARER)
@Controller('api/v1/calendario')
export class CalendarioController {
  constructor(private readonly calendario: CalendarioService) {}

  @Get()
  @ApiOperation({
    summary: 'The academic calendar: holidays (feriado) and non-working periods (receso), by start date',
    description:
      'A scheduled job with saltarFeriados does not run on a day of any of them, in its own time zone; its history records the run as omitido with the period’s name. ?anio: only those that touch that year.',
  })
  @ApiOkResponse({ standardSchema: z.object({ anio: z.number().int().nullable(), items: z.array(Periodo) }) })
  listar(@Query({ schema: Anio }) q: z.infer<typeof Anio>) {
    return this.calendario.listar(q.anio);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One period' })
  @ApiOkResponse({ standardSchema: Periodo })
  uno(@Param('id', { schema: Id }) id: string) {
    return this.calendario.uno(id);
  }

  @Post()
  @RequiresRole('operator')
  @ApiOperation({ summary: 'Add a holiday or non-working period (audited)' })
  @ApiCreatedResponse({ standardSchema: Periodo })
  crear(@Body({ schema: PeriodoNuevo }) b: z.infer<typeof PeriodoNuevo>, @Actor() actor: string) {
    return this.calendario.crear(b, actor);
  }

  @Post('importar')
  @RequiresRole('operator')
  @ApiOperation({
    summary: 'Import a calendar file: CSV (desde, hasta, nombre, tipo) or iCalendar; all its lines or none',
    description:
      'The file’s text goes in `contenido` (the dashboard reads the file and sends it). CSV: a header naming desde and nombre (hasta and tipo optional: one day, feriado), separated by , ; or tab; dates AAAA-MM-DD or DD/MM/AAAA. A period already there (same dates and name) is not added again. A bad line → 400 problem+json naming the line, and nothing is imported. iCalendar → 415 while no parser is installed.',
  })
  @ApiCreatedResponse({
    standardSchema: z.object({
      formato: z.string(),
      leidos: z.number().int(),
      agregados: z.number().int(),
      repetidos: z.number().int(),
      borrados: z.number().int(),
      anios: z.array(z.number().int()),
    }),
  })
  importar(@Body({ schema: Importacion }) b: z.infer<typeof Importacion>, @Actor() actor: string) {
    return this.calendario.importar(b, actor);
  }

  @Put(':id')
  @RequiresRole('operator')
  @ApiOperation({ summary: 'Replace a period (audited)' })
  @ApiOkResponse({ standardSchema: Periodo })
  reemplazar(
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: PeriodoNuevo }) b: z.infer<typeof PeriodoNuevo>,
    @Actor() actor: string,
  ) {
    return this.calendario.reemplazar(id, b, actor);
  }

  @Delete(':id')
  @RequiresRole('operator')
  @ApiOperation({ summary: 'Remove a period (audited)' })
  @ApiOkResponse({ standardSchema: Periodo })
  borrar(@Param('id', { schema: Id }) id: string, @Actor() actor: string) {
    return this.calendario.borrar(id, actor);
  }
}
