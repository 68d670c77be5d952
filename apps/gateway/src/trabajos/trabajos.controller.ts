import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BEARER } from '../api/docs.setup.js';
import { pageOf, Pagination } from '../api/schemas.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { CambioTrabajo, EjecucionApi, NombreTrabajo, TrabajoApi } from './trabajos.schema.js';
import { TrabajosService } from './trabajos.service.js';

const Detalle = TrabajoApi.extend({ historial: pageOf(EjecucionApi).describe('its runs, newest first') });

@ApiTags('trabajos')
@ApiBearerAuth(BEARER)
@Controller('api/v1/trabajos')
export class TrabajosController {
  constructor(private readonly trabajos: TrabajosService) {}

  @Get()
  @ApiOperation({
    summary: 'The scheduled jobs: settings, state, next runs (holidays and validity applied) and last run',
    description:
      'sial (the SIAL pull; activo and cron are the configuration’s sincronizacion), reconciliacion, retencion, oneroster (the OneRoster pull of changes) and oneroster-completa (the full one; both without an action unless ONEROSTER_URL is set). A job whose action no module provides yet is shown with conAccion false and estado sin_accion: it never runs. Each scheduled time runs once, whatever the number of gateway replicas.',
  })
  @ApiOkResponse({ standardSchema: z.object({ items: z.array(TrabajoApi) }) })
  listar() {
    return this.trabajos.listar();
  }

  @Get(':nombre')
  @ApiOperation({ summary: 'One job, with its history of runs (paged, newest first)' })
  @ApiOkResponse({ standardSchema: Detalle })
  uno(
    @Param('nombre', { schema: NombreTrabajo }) nombre: string,
    @Query({ schema: z.object(Pagination).strict() }) q: { limit: number; offset: number },
  ) {
    return this.trabajos.uno(nombre, q.limit, q.offset);
  }

  @Patch(':nombre')
  @RequiresRole('admin')
  @ApiOperation({
    summary: 'Change a job’s settings (the fields named); validated whole, audited like a configuration change',
    description:
      'For sial, activo and cron are stored as the configuration’s sincronizacion (a new configuration version); the other fields, and every field of the other jobs, in the job’s own settings. 400 (problem+json, with the field) for a bad cron, zone or dates: nothing is changed.',
  })
  @ApiOkResponse({ standardSchema: Detalle })
  cambiar(
    @Param('nombre', { schema: NombreTrabajo }) nombre: string,
    @Body({ schema: CambioTrabajo }) b: CambioTrabajo,
    @Actor() actor: string,
  ) {
    return this.trabajos.cambiar(nombre, b, actor);
  }

  @Post(':nombre/ejecutar')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Run a job now (whatever its schedule, validity or the calendar say): recorded in its history as a manual run',
    description: '409 for a job whose action no module provides yet.',
  })
  @ApiAcceptedResponse({
    standardSchema: z.object({
      ejecucionId: z.uuid(),
      trabajo: z.string(),
      producto: z.object({ tipo: z.string(), id: z.string() }),
      links: z.record(z.string(), z.string()),
    }),
  })
  ejecutar(@Param('nombre', { schema: NombreTrabajo }) nombre: string, @Actor() actor: string) {
    return this.trabajos.ejecutar(nombre, actor);
  }
}
