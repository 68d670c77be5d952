import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BEARER } from '../api/docs.setup.js';
import { Id, paginaDe, Paginacion, RangoFechas } from '../api/schemas.js';
import { ESTADOS } from '../sagas/onboarding.model.js';
import { ESTADOS_CICLO } from '../ciclo/ciclo.saga.js';
import { TIPOS_DE_CICLO } from '../ciclo/ciclo.repository.js';
import { WorkflowListaQueries } from './workflow-lista.queries.js';

const WorkflowResumen = z.object({
  id: z.uuid(),
  tipo: z.string(),
  estado: z.string(),
  alumnoId: z.uuid(),
  alumno: z.string().nullable(),
  loteId: z.uuid().nullable(),
  atascado: z.boolean(),
  avisos: z.array(z.string()),
  error: z.string().nullable(),
  creadoAt: z.string(),
  actualizadoAt: z.string(),
  terminadoAt: z.string().nullable(),
  venceAt: z.string().nullable(),
});

const Listado = z
  .object({
    estado: z.enum([...new Set([...ESTADOS, ...ESTADOS_CICLO])] as [string, ...string[]]).optional(),
    tipo: z.enum(['onboarding', ...TIPOS_DE_CICLO]).optional(),
    atascado: z.stringbool().optional(),
    loteId: Id.optional(),
    ...RangoFechas,
    ...Paginacion,
  })
  .strict();
const Pagina = z.object(Paginacion).strict();

@ApiTags('workflows')
@ApiBearerAuth(BEARER)
@Controller('api/v1/workflows')
export class WorkflowsController {
  constructor(private readonly lista: WorkflowListaQueries) {}

  @Get()
  @ApiOperation({ summary: 'Workflows by state, type and start date, newest first' })
  @ApiOkResponse({ standardSchema: paginaDe(WorkflowResumen) })
  listar(@Query({ schema: Listado }) q: z.infer<typeof Listado>) {
    const { limit, offset, ...filtro } = q;
    return this.lista.listar(filtro, limit, offset);
  }

  @Get('atascados')
  @ApiOperation({
    summary:
      'Stuck workflows: past a step deadline, or still running an hour (STUCK_AFTER_MS) after they began; oldest first',
  })
  @ApiOkResponse({ standardSchema: paginaDe(WorkflowResumen) })
  atascados(@Query({ schema: Pagina }) q: z.infer<typeof Pagina>) {
    return this.lista.atascados(q.limit, q.offset);
  }
}
