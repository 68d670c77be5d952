import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BEARER } from '../api/docs.setup.js';
import { Id, pageOf, Pagination, DateRange } from '../api/schemas.js';
import { ESTADOS_TAREA, TIPOS_TAREA, TareaService } from './tarea.service.js';

export const TareaSchema = z.object({
  id: z.uuid(),
  tipo: z.enum(TIPOS_TAREA),
  estado: z.enum(ESTADOS_TAREA),
  actor: z.string(),
  loteId: z.uuid().nullable(),
  total: z.number().int(),
  exitosos: z.number().int(),
  fallidos: z.number().int(),
  detalle: z.record(z.string(), z.unknown()),
  inicio: z.string(),
  fin: z.string().nullable(),
});

const Filtro = z
  .object({
    tipo: z.enum(TIPOS_TAREA).optional(),
    estado: z.enum(ESTADOS_TAREA).optional(),
    actor: z.string().max(100).optional(),
    loteId: Id.optional(),
    ...DateRange,
    ...Pagination,
  })
  .strict();

@ApiTags('tareas')
@ApiBearerAuth(BEARER)
@Controller('api/v1/tareas')
export class TareasController {
  constructor(private readonly tareas: TareaService) {}

  @Get()
  @ApiOperation({ summary: 'Tareas (syncs, uploads, bulk actions, retries), newest first' })
  @ApiOkResponse({ standardSchema: pageOf(TareaSchema) })
  listar(@Query({ schema: Filtro }) q: z.infer<typeof Filtro>) {
    return this.tareas.listar(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One tarea' })
  @ApiOkResponse({ standardSchema: TareaSchema })
  una(@Param('id', { schema: Id }) id: string) {
    return this.tareas.una(id);
  }
}
