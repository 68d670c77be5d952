import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BEARER } from '../api/docs.setup.js';
import { Id, pageOf, Pagination, DateRange } from '../api/schemas.js';
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
    ...DateRange,
    ...Pagination,
  })
  .strict();
const Page = z.object(Pagination).strict();

@ApiTags('workflows')
@ApiBearerAuth(BEARER)
@Controller('api/v1/workflows')
export class WorkflowsController {
  constructor(private readonly lista: WorkflowListaQueries) {}

  @Get()
  @ApiOperation({ summary: 'Workflows by state, type and start date, newest first' })
  @ApiOkResponse({ standardSchema: pageOf(WorkflowResumen) })
  listar(@Query({ schema: Listado }) q: z.infer<typeof Listado>) {
    const { limit, offset, ...filtro } = q;
    return this.lista.listar(filtro, limit, offset);
  }

  @Get('atascados')
  @ApiOperation({
    summary:
      'Stuck workflows: past a step deadline, or still running an hour (STUCK_AFTER_MS) after they began; oldest first',
  })
  @ApiOkResponse({ standardSchema: pageOf(WorkflowResumen) })
  atascados(@Query({ schema: Page }) q: z.infer<typeof Page>) {
    return this.lista.atascados(q.limit, q.offset);
  }
}
