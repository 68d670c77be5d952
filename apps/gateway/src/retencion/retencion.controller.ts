import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { EdadesRetencion, Fallo, Purgado } from '@lucy/contracts';
import { BEARER } from '../api/docs.setup.js';
import { Id, pageOf, Pagination } from '../api/schemas.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { ESTADOS_EJECUCION } from './retencion.reglas.js';
import { RetencionService } from './retencion.service.js';

const EjecutarBody = z
  .object({
    simular: z
      .boolean({ error: 'simular es true o false' })
      .optional()
      .describe('true: every service only counts what it would remove; nothing is removed'),
  })
  .strict();

const Resultado = z.discriminatedUnion('estado', [
  z.object({ estado: z.literal('aplicada'), purgados: z.array(Purgado), at: z.string() }),
  z.object({ estado: z.literal('fallida'), motivo: Fallo.shape.motivo, codigo: z.string().optional(), at: z.string() }),
  z.object({ estado: z.literal('sin_respuesta') }),
]);

const Informe = z.object({
  id: z.uuid(),
  estado: z.enum(ESTADOS_EJECUCION),
  simulada: z.boolean(),
  actor: z.string(),
  edades: EdadesRetencion,
  servicios: z.array(z.string()),
  resultados: z
    .record(z.string(), Resultado)
    .describe('per service: what it removed per kind (cutoff, duration), or why not'),
  totales: z.record(z.string(), z.number().int()).describe('per kind, over every service that answered'),
  iniciadaAt: z.string(),
  venceAt: z.string(),
  terminadaAt: z.string().nullable(),
});

const Filtro = z.object({ ...Pagination }).strict();

@ApiTags('retencion')
@ApiBearerAuth(BEARER)
@Controller('api/v1/retencion')
export class RetencionController {
  constructor(private readonly retencion: RetencionService) {}

  @Post('ejecutar')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start a retention run: every service removes what is past its age (the configuration key retencion), in short batches; with simular: true, only counts',
    description:
      "The gateway removes audit entries older than auditoriaDias, finished tareas and workflows older than dias (never a running one nor a student's current state); every service its applied-message ids past what a redelivery can need and parked messages older than aparcadosDias, and counts its relayed outbox rows past their day (each service's outbox relay removes those every minute). Follow the run at links.ejecucion: a service that does not answer within RETENCION_PLAZO_MS is reported sin_respuesta. 409 while another run is en_curso.",
  })
  @ApiAcceptedResponse({
    standardSchema: z.object({ id: z.uuid(), simulada: z.boolean(), links: z.object({ ejecucion: z.string() }) }),
  })
  async ejecutar(@Body({ schema: EjecutarBody }) body: z.infer<typeof EjecutarBody>, @Actor() actor: string) {
    const simulada = body.simular ?? false;
    const { id } = await this.retencion.ejecutar(actor, { simular: simulada });
    return { id, simulada, links: { ejecucion: `/api/v1/retencion/${id}` } };
  }

  @Get()
  @ApiOperation({ summary: 'Retention runs, newest first, each with its report' })
  @ApiOkResponse({ standardSchema: pageOf(Informe) })
  listar(@Query({ schema: Filtro }) q: z.infer<typeof Filtro>) {
    return this.retencion.listar(q.limit, q.offset);
  }

  @Get(':id')
  @ApiOperation({ summary: "One retention run's report: per service and per kind, counts, cutoffs and durations" })
  @ApiOkResponse({ standardSchema: Informe })
  una(@Param('id', { schema: Id }) id: string) {
    return this.retencion.una(id);
  }
}
