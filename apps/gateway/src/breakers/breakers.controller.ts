import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BEARER } from '../api/docs.setup.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { BreakerService } from './breaker.service.js';

// eslint-disable-next-line no-useless-assignment -- read by the parameter decorators below, which the rule does not see
const Nombre = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: 'debe ser un nombre en minúsculas (p. ej. teams-service, graph)' });

const BreakerSchema = z.object({
  dependencia: z.string(),
  estado: z.enum(['closed', 'open', 'half-open']).nullable(),
  desde: z.string().nullable(),
  motivo: z.string().nullable(),
  fuente: z.enum(['servicio', 'evento']),
  ultimoEvento: z.object({ estado: z.string(), at: z.string(), motivo: z.string().nullable() }).nullable(),
  limite: z.unknown(),
});

@ApiTags('breakers')
@ApiBearerAuth(BEARER)
@Controller('api/v1/breakers')
export class BreakersController {
  constructor(private readonly breakers: BreakerService) {}

  @Get()
  @ApiOperation({
    summary:
      "Every service's circuit breakers: live from each service's /health/ready, else the last BreakerCambiado heard",
  })
  @ApiOkResponse({
    standardSchema: z.array(
      z.object({
        servicio: z.string(),
        alcanzable: z.boolean(),
        error: z.string().nullable(),
        breakers: z.array(BreakerSchema),
      }),
    ),
  })
  todos() {
    return this.breakers.todos();
  }

  @Post(':servicio/:dependencia/reiniciar')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({ summary: 'Close a breaker now (ReiniciarBreaker); the service confirms with BreakerCambiado' })
  @ApiAcceptedResponse({
    standardSchema: z.object({
      servicio: z.string(),
      dependencia: z.string(),
      comando: z.string(),
      tareaId: z.uuid(),
      nota: z.string(),
    }),
  })
  reiniciar(
    @Param('servicio', { schema: Nombre }) servicio: string,
    @Param('dependencia', { schema: Nombre }) dependencia: string,
    @Actor() actor: string,
  ) {
    return this.breakers.reiniciar(servicio, dependencia, actor);
  }
}
