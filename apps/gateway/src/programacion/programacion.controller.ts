import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { FUENTES_SIAL } from '@lucy/contracts';
import { BEARER } from '../api/docs.setup.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { SyncScheduler } from '../scheduler/sync.scheduler.js';

const Momento = z.object({
  at: z.string().describe('ISO 8601, UTC'),
  local: z.string().describe('the same time in zonaHoraria, e.g. "lun 24/11/2026 02:00"'),
});

const Programacion = z.object({
  activa: z.boolean(),
  estado: z
    .enum(['programada', 'inactiva', 'invalida'])
    .describe('invalida: the stored expression cannot be scheduled (see problema)'),
  problema: z.string().nullable(),
  cron: z.string(),
  zonaHoraria: z.string(),
  fuentes: z.array(z.enum(FUENTES_SIAL)),
  periodo: z.string().nullable(),
  version: z.number().int().describe('the configuration version these values come from'),
  proximas: z.array(Momento).describe('the next 5 scheduled times; empty when inactive'),
  ultimas: z
    .array(
      Momento.extend({
        loteId: z.uuid(),
        recuperada: z.boolean().describe('pulled late, when a gateway started after a scheduled time nobody pulled'),
        replica: z.string(),
        lote: z.object({ estado: z.string(), total: z.number().int().nullable(), error: z.string().nullable() }),
        links: z.object({ lote: z.string(), tareas: z.string() }),
      }),
    )
    .describe('the last scheduled times pulled, newest first (a manual run is a lote, not a scheduled time)'),
  replica: z
    .object({
      id: z.string(),
      versionAplicada: z.number().int().nullable(),
      programada: z.boolean(),
      proxima: z.string().nullable(),
    })
    .describe('the replica that answered'),
});

@ApiTags('programacion')
@ApiBearerAuth(BEARER)
@Controller('api/v1/programacion')
export class ProgramacionController {
  constructor(private readonly scheduler: SyncScheduler) {}

  @Get()
  @ApiOperation({
    summary: 'The scheduled SIAL pull: settings, next runs in the configured time zone, last runs and their lotes',
    description:
      'The sial job of GET /api/v1/trabajos, as this view has always shown it. Settings come from the runtime configuration (sincronizacion, zonaHoraria; change them with PUT/PATCH /api/v1/config or PATCH /api/v1/trabajos/sial) and the job’s own zone when it has one. Each scheduled time is pulled once, whatever the number of gateway replicas.',
  })
  @ApiOkResponse({ standardSchema: Programacion })
  estado() {
    return this.scheduler.estado();
  }

  @Post('ejecutar')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Pull from SIAL now, with the schedule’s fuentes and periodo (whether or not it is active); recorded as a tarea by the caller and as a manual run in the sial job’s history (GET /api/v1/trabajos/sial)',
  })
  @ApiAcceptedResponse({
    standardSchema: z.object({
      loteId: z.uuid(),
      estado: z.literal('solicitado'),
      version: z.number().int(),
      links: z.object({ lote: z.string(), tareas: z.string() }),
    }),
  })
  async ejecutar(@Actor() actor: string) {
    const { producto, ajustes } = await this.scheduler.ejecutarAhora('sial', actor);
    const loteId = producto.id;
    const version = ajustes.version;
    return {
      loteId,
      estado: 'solicitado' as const,
      version,
      links: { lote: `/api/v1/lotes/${loteId}`, tareas: `/api/v1/tareas?loteId=${loteId}` },
    };
  }
}
